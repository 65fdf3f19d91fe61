// The peer of cu-report-bench.sh in DuckDB: the same usage table (per
// month and project: instances, hours, vCPU-, memory GB- and disk GB-hours
// of the active instance spans that count, split at month boundaries,
// open spans ending at the latest time of the input) in one SQL query.
//   node cu-report-duckdb.mjs SPANS.tsv OUT.tsv
import { DuckDBInstance } from '@duckdb/node-api';

const [, , file, out] = process.argv;
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const columns = `{'site': 'VARCHAR', 'kind': 'VARCHAR', 'state': 'VARCHAR',
  'id': 'VARCHAR', 'start': 'TIMESTAMP', 'end': 'TIMESTAMP', 'host': 'VARCHAR',
  'project': 'VARCHAR', 'user': 'VARCHAR', 'reservation': 'VARCHAR',
  'lease': 'VARCHAR', 'flavor': 'VARCHAR', 'booking': 'VARCHAR',
  'nodes': 'DOUBLE', 'vcpus': 'BIGINT', 'memory_mb': 'BIGINT',
  'disk_gb': 'BIGINT', 'audit': 'VARCHAR'}`;
const sql = `
WITH raw AS (
  SELECT * FROM read_csv(${q(file)}, delim = '\t', header = true,
    nullstr = '\\N', quote = '', escape = '', columns = ${columns},
    timestampformat = '%Y-%m-%dT%H:%M:%SZ')),
tmax AS (SELECT max(greatest(start, coalesce("end", start))) AS t FROM raw),
s AS (
  SELECT project, id, vcpus, memory_mb, disk_gb, start AS s,
         coalesce("end", (SELECT t FROM tmax)) AS e
  FROM raw
  WHERE kind = 'instance' AND state = 'active'
    AND audit IN ('ok', 'clipped', 'fallback', 'inferred')),
m AS (
  SELECT *, unnest(generate_series(date_trunc('month', s),
                                   e - INTERVAL 1 MICROSECOND,
                                   INTERVAL 1 MONTH)) AS ms
  FROM s WHERE e > s),
p AS (
  SELECT ms, project, id, vcpus, memory_mb, disk_gb,
         epoch_us(least(e, ms + INTERVAL 1 MONTH)) - epoch_us(greatest(s, ms)) AS us
  FROM m)
SELECT strftime(ms, '%Y-%m') AS month, project, count(DISTINCT id) AS instances,
       round(sum(us) / 3600e6, 6) AS hours,
       round(sum(us * vcpus) / 3600e6, 6) AS vcpu_hours,
       round(sum(us * memory_mb) / 1024 / 3600e6, 6) AS memory_gb_hours,
       round(sum(us * disk_gb) / 3600e6, 6) AS disk_gb_hours
FROM p GROUP BY ALL ORDER BY month, project`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`COPY (${sql}) TO ${q(out)} (DELIMITER '\t', HEADER)`);
