-- Layerwise run store, schema version 1.
-- One statement per ';'-terminated line group (SchemaMigrations splits on ';' at a line end).
-- Times are epoch milliseconds (UTC).

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a deleted run's id is never reused
    plugin          TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    title           TEXT,
    parameters_json TEXT    NOT NULL DEFAULT '{}',
    status          TEXT    NOT NULL,
    message         TEXT,
    model_ref       TEXT,
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    pid             INTEGER,                            -- the process that wrote the run, to find orphans
    host            TEXT
);

CREATE INDEX runs_by_status ON runs(status);
CREATE INDEX runs_by_plugin ON runs(plugin);

-- value is nullable: SQLite stores NaN as NULL, and the store reads NULL back as NaN
CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step   INTEGER NOT NULL,
    name   TEXT    NOT NULL,
    value  REAL
);

CREATE INDEX metrics_by_run_name ON metrics(run_id, name);

CREATE TABLE artifacts (
    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    relative_path TEXT    NOT NULL,                     -- relative to the data directory, '/' separated
    bytes         INTEGER NOT NULL,
    PRIMARY KEY (run_id, name)
);

CREATE TABLE trace_events (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    kind   TEXT    NOT NULL,
    json   TEXT    NOT NULL,
    at     INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
);
