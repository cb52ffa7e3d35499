import FleetModel
import GRDB

/// A row of `declared_instances`: a GPU machine a Terraform state declares. Its names are rows
/// of `declared_names`.
struct DeclaredInstanceRecord: CacheRecord {
  static let databaseTableName = "declared_instances"
  enum Columns {
    static let source = Column("source")
    static let ord = Column("ord")
    static let address = Column("address")
    static let resourceType = Column("resource_type")
    static let instanceType = Column("instance_type")
    static let machines = Column("machines")
    static let gpus = Column("gpus")
    static let gpuModel = Column("gpu_model")
  }

  var source: String
  var ord: Int
  /// The instance without its names, which `declared_names` holds.
  var instance: DeclaredInstance

  init(_ instance: DeclaredInstance, source: String, ord: Int) {
    self.source = source
    self.ord = ord
    self.instance = instance
  }

  init(row: Row) {
    source = row[Columns.source]
    ord = row[Columns.ord]
    instance = DeclaredInstance(
      address: row[Columns.address], resourceType: row[Columns.resourceType],
      instanceType: row[Columns.instanceType], machines: row[Columns.machines],
      gpus: row[Columns.gpus],
      gpuModel: row[Columns.gpuModel], names: [])
  }

  static let columns = [
    Columns.source, Columns.ord, Columns.address, Columns.resourceType, Columns.instanceType,
    Columns.machines, Columns.gpus, Columns.gpuModel,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source, ord, instance.address, instance.resourceType, instance.instanceType,
      instance.machines, instance.gpus, instance.gpuModel,
    ]
  }

  /// The instance's names, one record each.
  var names: [DeclaredNameRecord] {
    instance.names.enumerated().map {
      DeclaredNameRecord(source: source, instance: ord, ord: $0.offset, name: $0.element)
    }
  }
}

/// A row of `declared_names`: one name a declared instance goes by.
struct DeclaredNameRecord: CacheRecord {
  static let databaseTableName = "declared_names"
  enum Columns {
    static let source = Column("source")
    static let instance = Column("instance")
    static let ord = Column("ord")
    static let name = Column("name")
  }

  var source: String
  /// The `ord` of its instance.
  var instance: Int
  var ord: Int
  var name: String

  init(source: String, instance: Int, ord: Int, name: String) {
    self.source = source
    self.instance = instance
    self.ord = ord
    self.name = name
  }

  init(row: Row) {
    source = row[Columns.source]
    instance = row[Columns.instance]
    ord = row[Columns.ord]
    name = row[Columns.name]
  }

  static let columns = [Columns.source, Columns.instance, Columns.ord, Columns.name]

  var values: [(any DatabaseValueConvertible)?] { [source, instance, ord, name] }
}
