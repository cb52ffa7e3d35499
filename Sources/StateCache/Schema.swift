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
    migrator.registerMigration("v6: every source's inventory kept apart") { db in
      // v1 keyed nodes by name and GPUs by UUID alone, so a second source (or a second
      // cluster with the same node names) replaced the first's rows before the join could see
      // both. Now a row is keyed by the source that said it and the identity it names: a node
      // by (cluster, name), a GPU by its place (cluster, node, NVML index), a job by
      // (cluster, id). A GPU a scheduler only counts has no UUID (v1 wrote `node/index`).
      // Which job holds which GPU is a row of its own: a jobs answer without its nodes
      // (`factop import slurm-jobs`) places jobs on GPUs another source counts.
      try db.execute(
        sql: """
          CREATE TABLE clusters_v6 (
            source TEXT NOT NULL, name TEXT NOT NULL, ord INTEGER NOT NULL,
            scheduler TEXT NOT NULL, site TEXT NOT NULL, pricing TEXT NOT NULL,
            PRIMARY KEY (source, name));
          INSERT OR IGNORE INTO clusters_v6 (source, name, ord, scheduler, site, pricing)
            SELECT source, name, ord, scheduler, site, pricing FROM clusters;

          CREATE TABLE nodes_v6 (
            source TEXT NOT NULL, cluster TEXT NOT NULL, name TEXT NOT NULL, ord INTEGER NOT NULL,
            rack TEXT NOT NULL, state TEXT NOT NULL, reason TEXT, state_since REAL,
            power_w REAL, sampled_at REAL,
            PRIMARY KEY (source, cluster, name));
          INSERT OR IGNORE INTO nodes_v6 (source, cluster, name, ord, rack, state, reason,
                                          state_since, power_w, sampled_at)
            SELECT source, cluster, name, ord, rack, state, reason, state_since, power_w,
                   sampled_at FROM nodes;

          CREATE TABLE gpus_v6 (
            source TEXT NOT NULL, cluster TEXT NOT NULL, node TEXT NOT NULL, idx INTEGER NOT NULL,
            ord INTEGER NOT NULL, uuid TEXT, pci_bus_id TEXT, minor_number INTEGER,
            model TEXT NOT NULL, vendor TEXT NOT NULL, tdp_w REAL NOT NULL, idle_w REAL NOT NULL,
            mem_total_mib INTEGER NOT NULL, sampled_at REAL, util_pct REAL,
            sm_active_pct REAL, mem_used_mib REAL, power_w REAL, temp_c REAL, sm_clock_mhz REAL,
            mem_clock_mhz REAL, xid_last INTEGER, xid_count INTEGER, ecc_sbe INTEGER,
            ecc_dbe INTEGER,
            PRIMARY KEY (source, cluster, node, idx));
          INSERT OR IGNORE INTO gpus_v6 (source, cluster, node, idx, ord, uuid, model, vendor,
            tdp_w, idle_w, mem_total_mib, sampled_at, util_pct, sm_active_pct,
            mem_used_mib, power_w, temp_c, sm_clock_mhz, mem_clock_mhz, xid_last, xid_count,
            ecc_sbe, ecc_dbe)
            SELECT g.source,
                   COALESCE((SELECT n.cluster FROM nodes n
                             WHERE n.name = g.node AND n.source = g.source), ''),
                   g.node, g.idx, g.ord,
                   CASE WHEN g.uuid = g.node || '/' || g.idx THEN NULL ELSE g.uuid END,
                   g.model, g.vendor, g.tdp_w, g.idle_w, g.mem_total_mib, g.sampled_at,
                   g.util_pct, g.sm_active_pct, g.mem_used_mib, g.power_w, g.temp_c,
                   g.sm_clock_mhz, g.mem_clock_mhz, g.xid_last, g.xid_count, g.ecc_sbe, g.ecc_dbe
            FROM gpus g;

          CREATE TABLE placements (
            source TEXT NOT NULL, cluster TEXT NOT NULL, node TEXT NOT NULL, idx INTEGER NOT NULL,
            job_id TEXT NOT NULL,
            PRIMARY KEY (source, cluster, node, idx));
          INSERT OR IGNORE INTO placements (source, cluster, node, idx, job_id)
            SELECT g.source,
                   COALESCE((SELECT n.cluster FROM nodes n
                             WHERE n.name = g.node AND n.source = g.source), ''),
                   g.node, g.idx, g.job_id
            FROM gpus g WHERE g.job_id IS NOT NULL;

          CREATE TABLE jobs_v6 (
            source TEXT NOT NULL, cluster TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL,
            name TEXT NOT NULL, user TEXT NOT NULL, team TEXT NOT NULL, kind TEXT NOT NULL,
            state TEXT NOT NULL, gpus INTEGER NOT NULL, nodes TEXT NOT NULL, start REAL,
            PRIMARY KEY (source, cluster, id));
          INSERT OR IGNORE INTO jobs_v6 (source, cluster, id, ord, name, user, team, kind, state,
                                         gpus, nodes, start)
            SELECT source, cluster, id, ord, name, user, team, kind, state, gpus, nodes, start
            FROM jobs;

          DROP TABLE clusters; ALTER TABLE clusters_v6 RENAME TO clusters;
          DROP TABLE nodes; ALTER TABLE nodes_v6 RENAME TO nodes;
          DROP TABLE gpus; ALTER TABLE gpus_v6 RENAME TO gpus;
          DROP TABLE jobs; ALTER TABLE jobs_v6 RENAME TO jobs;
          """)
    }
    migrator.registerMigration("v7: no JSON inside columns") { db in
      // A job's nodes, an OpenCost allocation and a charge's tags were JSON text in one column
      // each: now rows and columns, so SQL (and a person with sqlite3) can read them.
      try db.execute(
        sql: """
          CREATE TABLE job_nodes (
            source TEXT NOT NULL, cluster TEXT NOT NULL, job_id TEXT NOT NULL,
            ord INTEGER NOT NULL, node TEXT NOT NULL,
            PRIMARY KEY (source, cluster, job_id, ord));
          INSERT INTO job_nodes (source, cluster, job_id, ord, node)
            SELECT j.source, j.cluster, j.id, n.key, n.value
            FROM jobs j, json_each(j.nodes) n WHERE json_valid(j.nodes);
          ALTER TABLE jobs DROP COLUMN nodes;

          CREATE TABLE workload_costs_v7 (
            source TEXT NOT NULL, ord INTEGER NOT NULL, name TEXT NOT NULL, cluster TEXT,
            namespace TEXT, controller TEXT, pod TEXT, window_start REAL NOT NULL,
            window_end REAL NOT NULL, gpu_hours REAL, gpu_cost REAL, total_cost REAL NOT NULL,
            PRIMARY KEY (source, ord));
          INSERT INTO workload_costs_v7 (source, ord, name, cluster, namespace, controller, pod,
            window_start, window_end, gpu_hours, gpu_cost, total_cost)
            SELECT source, ord, cost ->> '$.name', cost ->> '$.cluster', cost ->> '$.namespace',
                   cost ->> '$.controller', cost ->> '$.pod', cost ->> '$.start',
                   cost ->> '$.end', cost ->> '$.gpuHours', cost ->> '$.gpuCost',
                   cost ->> '$.totalCost'
            FROM workload_costs
            WHERE json_valid(cost) AND cost ->> '$.name' IS NOT NULL
              AND cost ->> '$.totalCost' IS NOT NULL;
          DROP TABLE workload_costs;
          ALTER TABLE workload_costs_v7 RENAME TO workload_costs;

          CREATE TABLE billing_tags (
            source TEXT NOT NULL, line INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (source, line, key));
          INSERT INTO billing_tags (source, line, key, value)
            SELECT b.source, b.line, t.key, t.value
            FROM billing b, json_each(b.tags) t WHERE json_valid(b.tags);
          ALTER TABLE billing DROP COLUMN tags;
          """)
    }
    migrator.registerMigration("v8: capacity declared in Terraform states") { db in
      try db.execute(
        sql: """
          CREATE TABLE declared_instances (
            source TEXT NOT NULL, ord INTEGER NOT NULL, address TEXT NOT NULL,
            resource_type TEXT NOT NULL, instance_type TEXT NOT NULL, machines INTEGER NOT NULL,
            gpus INTEGER NOT NULL, gpu_model TEXT,
            PRIMARY KEY (source, ord));
          CREATE TABLE declared_names (
            source TEXT NOT NULL, instance INTEGER NOT NULL, ord INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (source, instance, ord));
          """)
    }
    migrator.registerMigration("v9: the savings ledger, jobs' time limits, InfiniBand ports") {
      db in
      // `ledger_recorded_at` in meta is when the finder last ran for the ledger.
      try db.execute(
        sql: """
          CREATE TABLE savings_ledger (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, scope TEXT NOT NULL, owner TEXT,
            title TEXT NOT NULL, first_seen REAL NOT NULL, confirmed REAL,
            last_seen REAL NOT NULL, usd_found REAL NOT NULL, usd_last REAL NOT NULL,
            status TEXT NOT NULL, closed REAL, moved_to TEXT, moved_from TEXT);
          ALTER TABLE jobs ADD COLUMN time_limit_s REAL;
          CREATE TABLE fabric_ports (
            source TEXT NOT NULL, node TEXT NOT NULL, cluster TEXT, device TEXT NOT NULL,
            port TEXT NOT NULL,
            state_id INTEGER, physical_state_id INTEGER, rate_bytes_per_s REAL,
            received_bytes_per_s REAL, transmitted_bytes_per_s REAL, link_downed_total REAL,
            link_downed_new REAL, receive_errors_total REAL, symbol_errors_total REAL,
            link_error_recovery_total REAL,
            t REAL NOT NULL,
            PRIMARY KEY (source, node, device, port));
          """)
    }
    migrator.registerMigration("v10: incidents, and what the incident log marks between polls") {
      db in
      // `incidents_recorded_at` and `incidents_since` in meta are when the log last recorded
      // and when it first did.
      try db.execute(
        sql: """
          ALTER TABLE gpus ADD COLUMN row_remap_failure INTEGER;
          ALTER TABLE gpus ADD COLUMN nvlink_errors REAL;
          ALTER TABLE fabric_ports ADD COLUMN errors_per_s REAL;
          CREATE TABLE incidents (
            id TEXT PRIMARY KEY, cluster TEXT NOT NULL, node TEXT, start REAL NOT NULL,
            last_event REAL NOT NULL, end_t REAL, outage_gpus INTEGER,
            outage_usd_per_gpu_hour REAL, outage_start REAL, outage_end REAL);
          CREATE INDEX incidents_by_end ON incidents (end_t);
          CREATE TABLE incident_events (
            incident TEXT NOT NULL, ord INTEGER NOT NULL, t REAL NOT NULL, kind TEXT NOT NULL,
            subject TEXT NOT NULL, detail TEXT NOT NULL, action TEXT, xid INTEGER,
            repeats INTEGER NOT NULL, last_t REAL NOT NULL,
            PRIMARY KEY (incident, ord));
          CREATE TABLE incident_jobs (
            incident TEXT NOT NULL, ord INTEGER NOT NULL, cluster TEXT NOT NULL,
            job_id TEXT NOT NULL, name TEXT NOT NULL, team TEXT NOT NULL, gpus INTEGER NOT NULL,
            gpus_on_node INTEGER NOT NULL, usd_per_gpu_hour REAL, stopped REAL NOT NULL,
            last_checkpoint REAL, requeued INTEGER NOT NULL, ran_again REAL,
            gave_up INTEGER NOT NULL,
            PRIMARY KEY (incident, ord));
          CREATE TABLE incident_job_nodes (
            incident TEXT NOT NULL, job_ord INTEGER NOT NULL, ord INTEGER NOT NULL,
            node TEXT NOT NULL,
            PRIMARY KEY (incident, job_ord, ord));
          CREATE TABLE incident_gpu_marks (
            cluster TEXT NOT NULL, node TEXT NOT NULL, idx INTEGER NOT NULL, xid INTEGER,
            xid_count INTEGER, ecc_double_bit INTEGER, row_remap_failure INTEGER,
            nvlink_errors REAL,
            PRIMARY KEY (cluster, node, idx));
          CREATE TABLE incident_out_nodes (
            cluster TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (cluster, name));
          CREATE TABLE incident_running_jobs (
            cluster TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, user TEXT NOT NULL,
            team TEXT NOT NULL, gpus INTEGER NOT NULL, usd_per_gpu_hour REAL,
            PRIMARY KEY (cluster, id));
          CREATE TABLE incident_running_job_nodes (
            cluster TEXT NOT NULL, job_id TEXT NOT NULL, node TEXT NOT NULL,
            gpus INTEGER NOT NULL,
            PRIMARY KEY (cluster, job_id, node));
          """)
    }
    migrator.registerMigration(
      "v11: when finished jobs ended, pods' restarts, when hit jobs had started, NVLink errors"
    ) {
      db in
      try db.execute(
        sql: """
          ALTER TABLE jobs ADD COLUMN ended REAL;
          ALTER TABLE jobs ADD COLUMN restarts INTEGER;
          ALTER TABLE jobs ADD COLUMN last_exit TEXT;
          ALTER TABLE jobs ADD COLUMN last_exit_at REAL;
          ALTER TABLE jobs ADD COLUMN running_since REAL;
          ALTER TABLE incident_running_jobs ADD COLUMN restarts INTEGER;
          ALTER TABLE incident_jobs ADD COLUMN started REAL;
          ALTER TABLE gpus ADD COLUMN nvlink_errors_per_s REAL;
          """)
    }
    return migrator
  }
}
