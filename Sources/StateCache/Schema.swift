import GRDB

/// The cache's schema, one migration per released change. Never edit a shipped migration: add one.
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: inventory, jobs, samples, series, sources") { db in
      try db.execute(
        sql: """
          CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
          INSERT INTO meta (key, value) VALUES ('generation', 0);

          CREATE TABLE clusters (
            name TEXT PRIMARY KEY, source TEXT NOT NULL, ord INTEGER NOT NULL,
            scheduler TEXT NOT NULL, site TEXT NOT NULL, pricing TEXT NOT NULL);

          CREATE TABLE nodes (
            name TEXT PRIMARY KEY, source TEXT NOT NULL, ord INTEGER NOT NULL,
            cluster TEXT NOT NULL, rack TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
            state_since REAL, power_w REAL, sampled_at REAL);

          CREATE TABLE gpus (
            uuid TEXT PRIMARY KEY, source TEXT NOT NULL, ord INTEGER NOT NULL,
            node TEXT NOT NULL, idx INTEGER NOT NULL, model TEXT NOT NULL, vendor TEXT NOT NULL,
            tdp_w REAL NOT NULL, idle_w REAL NOT NULL, mem_total_mib INTEGER NOT NULL,
            job_id TEXT, sampled_at REAL, util_pct REAL, sm_active_pct REAL, mem_used_mib REAL,
            power_w REAL, temp_c REAL, sm_clock_mhz REAL, mem_clock_mhz REAL,
            xid_last INTEGER, xid_count INTEGER, ecc_sbe INTEGER, ecc_dbe INTEGER);

          CREATE TABLE jobs (
            cluster TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL, ord INTEGER NOT NULL,
            name TEXT NOT NULL, user TEXT NOT NULL, team TEXT NOT NULL, kind TEXT NOT NULL,
            state TEXT NOT NULL, gpus INTEGER NOT NULL, nodes TEXT NOT NULL, start REAL,
            PRIMARY KEY (cluster, id));

          CREATE TABLE sources (
            name TEXT PRIMARY KEY, kind TEXT NOT NULL, interval_s REAL NOT NULL,
            last_attempt REAL, last_success REAL, last_error TEXT, poll_duration_s REAL);
          """)
      for table in SeriesResolution.allCases.map(\.table) {
        try db.execute(
          sql: """
            CREATE TABLE \(table) (
              entity TEXT NOT NULL, metric TEXT NOT NULL, t INTEGER NOT NULL,
              mean REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, n INTEGER NOT NULL,
              PRIMARY KEY (entity, metric, t)) WITHOUT ROWID
            """)
      }
    }
    migrator.registerMigration("v2: imported bills") { db in
      // Money as decimal text: bills are summed exactly. `source` is the file a row came from,
      // so importing the file again replaces its rows.
      try db.execute(
        sql: """
          CREATE TABLE billing (
            source TEXT NOT NULL, line INTEGER NOT NULL,
            billed_cost TEXT NOT NULL, effective_cost TEXT NOT NULL, list_cost TEXT NOT NULL,
            contracted_cost TEXT, currency TEXT NOT NULL,
            period_start REAL NOT NULL, period_end REAL NOT NULL, charge_category TEXT,
            service_name TEXT NOT NULL, service_category TEXT, resource_id TEXT,
            resource_name TEXT, sku_id TEXT, pricing_quantity TEXT, pricing_unit TEXT,
            tags TEXT NOT NULL,
            PRIMARY KEY (source, line));
          """)
    }
    migrator.registerMigration("v3: power meters") { db in
      // BMC and PDU readings, by the source that read them; they overlay the node power of
      // whichever source owns the node.
      try db.execute(
        sql: """
          CREATE TABLE meters (
            source TEXT NOT NULL, scope TEXT NOT NULL, target TEXT NOT NULL,
            watts REAL NOT NULL, via TEXT NOT NULL, t REAL NOT NULL,
            PRIMARY KEY (source, scope, target));
          """)
    }
    migrator.registerMigration("v4: workload costs") { db in
      // OpenCost's allocations, by the source (a live OpenCost, or an imported file).
      try db.execute(
        sql: """
          CREATE TABLE workload_costs (
            source TEXT NOT NULL, ord INTEGER NOT NULL, cost TEXT NOT NULL,
            PRIMARY KEY (source, ord));
          """)
    }
    migrator.registerMigration("v5: how each source checks TLS") { db in
      // `verified`, `unverified` (insecure_skip_verify), or NULL for a source without TLS.
      try db.execute(sql: "ALTER TABLE sources ADD COLUMN tls TEXT")
    }
    return migrator
  }
}
