-- The mxlab run store: one DuckDB database file per run (`run.duckdb` in the run's output folder).
-- Times are integer milliseconds since the run started (virtual time), column suffix `_ms` or `t`.
-- Enumerations are stored as their readable names so that plain SQL (README) reads naturally.
-- Bump `schema_version` in `run_meta` when a column changes; readers check it.

-- key/value facts about the run: schema_version, seed, scenario name, scenario hash, mode, start date, horizon
CREATE TABLE IF NOT EXISTS run_meta (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);

-- one row per targeted recipient, with the simulator's ground truth (the core never reads it)
CREATE TABLE IF NOT EXISTS recipients (
  id INTEGER PRIMARY KEY,
  address VARCHAR NOT NULL,          -- may be '' (reason 7 at preparation)
  domain VARCHAR NOT NULL,
  truth VARCHAR NOT NULL,            -- valid | unknown | mailboxFull | mailboxFullPermanent | disabled | disabledPermanent | invalidDomain | autoResponder
  complainer BOOLEAN NOT NULL,
  initial_status VARCHAR NOT NULL,   -- valid | quarantine | denylisted | allowlisted (quarantine table before the run)
  control_group BOOLEAN NOT NULL
);

-- one row per delivery (send job) of the scenario
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  start_ms BIGINT NOT NULL,
  validity_ms BIGINT NOT NULL,       -- effective validity (Enhanced MTA: capped at 3.5 days)
  retry_policy VARCHAR NOT NULL,
  mode VARCHAR NOT NULL              -- legacy | enhanced
);

-- the delivery log (SPEC §8): one row per (delivery, recipient), final state at the end of the run
CREATE TABLE IF NOT EXISTS delivery_log (
  delivery_id INTEGER NOT NULL,
  recipient_id INTEGER NOT NULL,
  address VARCHAR NOT NULL,
  domain VARCHAR NOT NULL,
  status VARCHAR NOT NULL,           -- pending | sent | failed | ignored | cancelled | takenIntoAccount
  type VARCHAR,                      -- hard | soft | ignored | undefined, null when sent without error
  reason INTEGER,                    -- SPEC §3 value; exclusions at preparation carry 7..17, 25, 127
  excluded BOOLEAN NOT NULL,         -- true when preparation excluded the recipient (never sent)
  text VARCHAR,                      -- last remote text
  attempts INTEGER NOT NULL,
  first_attempt_ms BIGINT,
  last_attempt_ms BIGINT,
  delivered_ms BIGINT                -- when the remote server accepted it
);

-- every SMTP attempt (and DNS failure) with its qualification
CREATE TABLE IF NOT EXISTS attempts (
  t BIGINT NOT NULL,
  delivery_id INTEGER NOT NULL,
  recipient_id INTEGER NOT NULL,
  attempt INTEGER NOT NULL,          -- 1 for the first try
  domain VARCHAR NOT NULL,
  local_ip VARCHAR,
  mx_ip VARCHAR,
  phase VARCHAR NOT NULL,            -- dns | connect | ehlo | mail | rcpt | data
  code INTEGER,
  enhanced VARCHAR,
  text VARCHAR NOT NULL,
  type VARCHAR,                      -- null when delivered
  reason INTEGER,
  impact VARCHAR NOT NULL,           -- quarantine | count | none | denylist | ok
  disposition VARCHAR,
  rule VARCHAR,
  bounce_class INTEGER,
  outcome VARCHAR NOT NULL           -- delivered | retry | failed | expired
);

-- async events read by inMail: bounce mails, complaints, auto-replies
CREATE TABLE IF NOT EXISTS inmail (
  t BIGINT NOT NULL,
  recipient VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,             -- dsn | arf | autoreply | delivered | unknown
  type VARCHAR,
  reason INTEGER,
  impact VARCHAR NOT NULL,
  status VARCHAR,                    -- DSN status code
  text VARCHAR
);

-- the quarantine table at the end of the run (SPEC §5), one row per address ever touched
CREATE TABLE IF NOT EXISTS quarantine (
  address VARCHAR PRIMARY KEY,
  status VARCHAR NOT NULL,           -- valid | withErrors | quarantine | denylisted | allowlisted
  error_count INTEGER NOT NULL,
  reason INTEGER,
  text VARCHAR,
  first_error_ms BIGINT,
  last_error_ms BIGINT,
  updated_ms BIGINT NOT NULL
);

-- every status transition of the quarantine table: what SPEC §9 remediation queries
CREATE TABLE IF NOT EXISTS quarantine_history (
  t BIGINT NOT NULL,
  address VARCHAR NOT NULL,
  old_status VARCHAR NOT NULL,
  new_status VARCHAR NOT NULL,
  reason INTEGER,
  text VARCHAR,
  rule VARCHAR,
  cause VARCHAR NOT NULL             -- sync | async | complaint | cleanup | remediation | initial
);

-- the delivery log qualification table (SPEC §6.1)
CREATE TABLE IF NOT EXISTS qualification (
  normalized VARCHAR PRIMARY KEY,
  first_text VARCHAR NOT NULL,
  occurrences INTEGER NOT NULL,      -- capped at 100,000
  type VARCHAR NOT NULL,
  reason INTEGER NOT NULL,
  status VARCHAR NOT NULL            -- toQualify | keep | ignore
);

-- sends per 5-minute slice, domain and local IP
CREATE TABLE IF NOT EXISTS throughput (
  slice_ms BIGINT NOT NULL,          -- start of the 5-minute slice
  domain VARCHAR NOT NULL,
  local_ip VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  delivered INTEGER NOT NULL,
  deferred INTEGER NOT NULL,
  failed INTEGER NOT NULL
);

-- suspensions, error-rate blocks, throttles and unavailable paths
CREATE TABLE IF NOT EXISTS suspensions (
  kind VARCHAR NOT NULL,             -- suspend | block | throttle | pathDown | delayQueue
  domain VARCHAR NOT NULL,
  local_ip VARCHAR,
  start_ms BIGINT NOT NULL,
  end_ms BIGINT NOT NULL,
  rule VARCHAR,
  text VARCHAR
);
