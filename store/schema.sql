-- The mxlab run store: one DuckDB database file per run (`run.duckdb` in the run's output folder).
-- Times are integer milliseconds since the run started (virtual time), column suffix `_ms` or `t`.
-- Enumerations are stored as their readable names so that plain SQL (README) reads naturally.
-- Bump `schema_version` in `run_meta` when a column changes; readers check it.
--
-- Changes (schema_version 1), table and column names unchanged:
--  * closed vocabularies from core/types.ts are DuckDB ENUM types (mx_phase, mx_failure_type, ...).
--    They read back as strings and compare with string literals (`WHERE phase = 'rcpt'`, LIKE, IN),
--    but they are stored as one byte, which makes writing 1M-row tables several times faster.
--    Open vocabularies (domains, IPs, texts, rules, truth) stay VARCHAR.
--  * PRIMARY KEYs are dropped from recipients, deliveries and quarantine (index maintenance cost on
--    bulk load; uniqueness is the writer's job). run_meta keeps its key.
-- schema_version 3: the `actions` table (operator actions of the scenario's timeline).

CREATE TYPE IF NOT EXISTS mx_phase AS ENUM ('dns', 'connect', 'ehlo', 'mail', 'rcpt', 'data', 'async');
CREATE TYPE IF NOT EXISTS mx_failure_type AS ENUM ('hard', 'soft', 'ignored', 'undefined');
CREATE TYPE IF NOT EXISTS mx_impact AS ENUM ('quarantine', 'count', 'none', 'denylist', 'ok');
CREATE TYPE IF NOT EXISTS mx_disposition AS ENUM ('transient', 'permanent');
CREATE TYPE IF NOT EXISTS mx_outcome AS ENUM ('delivered', 'retry', 'failed', 'expired');
CREATE TYPE IF NOT EXISTS mx_log_status AS ENUM ('pending', 'sent', 'failed', 'ignored', 'cancelled', 'takenIntoAccount');
CREATE TYPE IF NOT EXISTS mx_address_status AS ENUM ('valid', 'withErrors', 'quarantine', 'denylisted', 'allowlisted');
CREATE TYPE IF NOT EXISTS mx_inmail_kind AS ENUM ('dsn', 'arf', 'autoreply', 'delivered', 'unknown');
CREATE TYPE IF NOT EXISTS mx_match_by AS ENUM ('none', 'messageId', 'header', 'verp', 'latest');
CREATE TYPE IF NOT EXISTS mx_cause AS ENUM ('sync', 'async', 'complaint', 'cleanup', 'remediation', 'initial');
CREATE TYPE IF NOT EXISTS mx_suspension_kind AS ENUM ('suspend', 'block', 'throttle', 'pathDown', 'delayQueue');
CREATE TYPE IF NOT EXISTS mx_qualification_status AS ENUM ('toQualify', 'keep', 'ignore');
CREATE TYPE IF NOT EXISTS mx_mode AS ENUM ('legacy', 'enhanced');

-- key/value facts about the run: schema_version, seed, scenario name, scenario hash, mode, start date, horizon
CREATE TABLE IF NOT EXISTS run_meta (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);

-- one row per targeted recipient, with the simulator's ground truth (the core never reads it)
CREATE TABLE IF NOT EXISTS recipients (
  id INTEGER NOT NULL,
  address VARCHAR NOT NULL,          -- may be '' (reason 7 at preparation)
  domain VARCHAR NOT NULL,
  truth VARCHAR NOT NULL,            -- valid | unknown | mailboxFull | mailboxFullPermanent | disabled | disabledPermanent | invalidDomain | autoResponder
  complainer BOOLEAN NOT NULL,
  initial_status mx_address_status NOT NULL,   -- valid | quarantine | denylisted | allowlisted (quarantine table before the run)
  control_group BOOLEAN NOT NULL
);

-- one row per delivery (send job) of the scenario
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER NOT NULL,
  name VARCHAR NOT NULL,
  start_ms BIGINT NOT NULL,
  validity_ms BIGINT NOT NULL,       -- effective validity (Enhanced MTA: capped at 3.5 days)
  retry_policy VARCHAR NOT NULL,
  mode mx_mode NOT NULL              -- legacy | enhanced
);

-- the delivery log (SPEC §8): one row per (delivery, recipient), final state at the end of the run
CREATE TABLE IF NOT EXISTS delivery_log (
  delivery_id INTEGER NOT NULL,
  recipient_id INTEGER NOT NULL,
  address VARCHAR NOT NULL,
  domain VARCHAR NOT NULL,
  status mx_log_status NOT NULL,     -- pending | sent | failed | ignored | cancelled | takenIntoAccount
  type mx_failure_type,              -- hard | soft | ignored | undefined, null when sent without error
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
  phase mx_phase NOT NULL,                      -- dns | connect | ehlo | mail | rcpt | data
  code INTEGER,
  enhanced VARCHAR,
  text VARCHAR NOT NULL,
  type mx_failure_type,              -- null when delivered
  reason INTEGER,
  impact mx_impact NOT NULL,         -- quarantine | count | none | denylist | ok
  disposition mx_disposition,        -- transient | permanent
  rule VARCHAR,
  bounce_class INTEGER,
  outcome mx_outcome NOT NULL           -- delivered | retry | failed | expired
);

-- async events read by inMail: bounce mails, complaints, auto-replies
CREATE TABLE IF NOT EXISTS inmail (
  t BIGINT NOT NULL,
  recipient VARCHAR NOT NULL,
  kind mx_inmail_kind NOT NULL,      -- dsn | arf | autoreply | delivered | unknown
  type mx_failure_type,
  reason INTEGER,
  impact mx_impact NOT NULL,
  status VARCHAR,                    -- DSN status code
  text VARCHAR,
  matched_by mx_match_by NOT NULL,   -- how it was matched to its message: messageId | header | verp | latest, none: unmatched (changed nothing)
  delivery_id INTEGER,               -- the matched message (delivery_log row), null when unmatched
  recipient_id INTEGER
);

-- the quarantine table at the end of the run (SPEC §5), one row per address ever touched
CREATE TABLE IF NOT EXISTS quarantine (
  address VARCHAR NOT NULL,
  status mx_address_status NOT NULL,           -- valid | withErrors | quarantine | denylisted | allowlisted
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
  old_status mx_address_status NOT NULL,
  new_status mx_address_status NOT NULL,
  reason INTEGER,
  text VARCHAR,
  rule VARCHAR,
  cause mx_cause NOT NULL             -- sync | async | complaint | cleanup | remediation | initial
);

-- the delivery log qualification table (SPEC §6.1)
CREATE TABLE IF NOT EXISTS qualification (
  normalized VARCHAR PRIMARY KEY,
  first_text VARCHAR NOT NULL,
  occurrences INTEGER NOT NULL,      -- capped at 100,000
  type mx_failure_type NOT NULL,
  reason INTEGER NOT NULL,
  status mx_qualification_status NOT NULL            -- toQualify | keep | ignore
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
  kind mx_suspension_kind NOT NULL,  -- suspend | block | throttle | pathDown | delayQueue
  domain VARCHAR NOT NULL,
  local_ip VARCHAR,
  mx_ip VARCHAR,                     -- the remote MX IP of a pathDown (one per (local IP, MX IP) link)
  start_ms BIGINT NOT NULL,
  end_ms BIGINT NOT NULL,
  rule VARCHAR,
  text VARCHAR
);

-- operator actions of the scenario's timeline (issue #24), in the order they ran
CREATE TABLE IF NOT EXISTS actions (
  t BIGINT NOT NULL,
  kind VARCHAR NOT NULL,             -- stopDelivery | addSuspension | cancelSuspension | setRules | reviewEntry | runCleanup | skipCleanup | ...
  target VARCHAR,                    -- the delivery, domain, rule path or table text it acts on
  outcome VARCHAR NOT NULL,          -- what happened (stopped, handedOver, notStarted, applied, notFound, ...)
  affected INTEGER NOT NULL,         -- messages cancelled, suspensions lifted, entries changed, ...
  detail VARCHAR                     -- one line for people
);
