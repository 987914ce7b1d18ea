package org.layerwise.engine.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The run store over SQLite ({@code <data>/runs.db}) with artifacts under {@code <data>/artifacts/<runId>/}.
 *
 * <p><b>Durability.</b> The database runs in WAL mode with {@code synchronous=FULL}: every call that returns has
 * committed its own transaction and forced the write-ahead log to disk, so neither a {@code kill -9} nor a
 * power cut loses it. The one exception is {@link #metric}: metric points (thousands per run) are buffered
 * and written in one transaction at most {@code metricFlushMillis} (default {@value #DEFAULT_METRIC_FLUSH_MILLIS}
 * ms) after they arrive, or sooner when {@value #MAX_PENDING_METRICS} are waiting. {@link #finishRun},
 * {@link #metrics}, {@link #exportBundle}, {@link #delete} and {@link #close} flush first. So a process killed
 * with -9 loses at most the last {@value #DEFAULT_METRIC_FLUSH_MILLIS} ms of metrics of a run that was still
 * running, and nothing of a run that had finished. A JVM that exits normally (or on SIGTERM/Ctrl-C) flushes
 * through a shutdown hook.
 *
 * <p><b>Orphans.</b> Each run records the pid and host that wrote it. A process that dies while a run is
 * RUNNING cannot mark it; call {@link #markOrphansInterrupted()} once after {@link #open} at every entry
 * point (the GUI on start, every CLI command through its data-dir option) to mark such runs INTERRUPTED.
 *
 * <p><b>Threads.</b> One connection guarded by a lock; safe to share between the GUI and job threads. Several
 * processes may open the same data directory (a CLI sweep while the GUI is open): SQLite's WAL locking and a
 * busy timeout serialise them.
 */
public final class SqliteRunStore implements RunStore {
    public static final String DATABASE_FILE = "runs.db";
    public static final String ARTIFACTS_DIR = "artifacts";
    public static final long DEFAULT_METRIC_FLUSH_MILLIS = 50;
    static final int MAX_PENDING_METRICS = 1000;
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(SqliteRunStore.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final Path databaseFile;
    private final Connection connection;
    private final ReentrantLock db = new ReentrantLock();
    private final MetricBuffer pending;
    private final ScheduledExecutorService flusher;
    private final Thread shutdownFlush;
    private volatile boolean closed;

    private SqliteRunStore(Path dataDir, Connection connection, long metricFlushMillis) {
        this.dataDir = dataDir;
        this.databaseFile = dataDir.resolve(DATABASE_FILE);
        this.connection = connection;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "layerwise-runstore-flush");
            t.setDaemon(true);
            return t;
        });
        this.pending = new MetricBuffer(metricFlushMillis, MAX_PENDING_METRICS, flusher, this::writeMetrics);
        this.shutdownFlush = new Thread(this::flushQuietly, "layerwise-runstore-shutdown-flush");
        Runtime.getRuntime().addShutdownHook(shutdownFlush);
    }

    /**
     * Opens (creating if needed) the run store in {@code dataDir} and migrates it to the latest schema.
     * Call {@link #markOrphansInterrupted()} afterwards at an application entry point.
     */
    public static SqliteRunStore open(Path dataDir) {
        return open(dataDir, DEFAULT_METRIC_FLUSH_MILLIS);
    }

    /** As {@link #open(Path)}, with metric points flushed at most every {@code metricFlushMillis} (0 = at once). */
    public static SqliteRunStore open(Path dataDir, long metricFlushMillis) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path file = dir.resolve(DATABASE_FILE);
        try {
            Files.createDirectories(dir.resolve(ARTIFACTS_DIR));
        } catch (IOException e) {
            throw new RunStoreException("cannot create the data directory " + dir + " (" + e
                    + "); choose another with --data-dir or LAYERWISE_HOME", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        // IMMEDIATE takes the write lock at BEGIN, so two processes never deadlock upgrading a read lock
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
            checkWriteAheadLog(connection, file);
            SchemaMigrations.standard().migrate(connection, file.toString());
            return new SqliteRunStore(dir, connection, metricFlushMillis);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new RunStoreException("cannot open the run store " + file + ": " + e.getMessage()
                    + "; if another program holds it, close that program, or use another --data-dir", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    public Path databaseFile() {
        return databaseFile;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public long startRun(String plugin, String kind, String title, String parametersJson, String modelRef) {
        return startRun(plugin, kind, title, parametersJson, modelRef, ProcessHandle.current().pid(), thisHost());
    }

    /** As {@link #startRun(String, String, String, String, String)} on behalf of another process (tests). */
    long startRun(String plugin, String kind, String title, String parametersJson, String modelRef, long pid,
                  String host) {
        require(plugin, "plugin");
        require(kind, "kind");
        String parameters = normaliseParameters(parametersJson);
        return withDb("start a run", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (plugin, kind, title, parameters_json, "
                    + "status, model_ref, started_at, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, plugin);
                ps.setString(2, kind);
                ps.setString(3, title);
                ps.setString(4, parameters);
                ps.setString(5, RunStatus.RUNNING.name());
                ps.setString(6, modelRef);
                ps.setLong(7, System.currentTimeMillis());
                ps.setLong(8, pid);
                ps.setString(9, host);
                ps.executeUpdate();
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void finishRun(long runId, RunStatus status, String message) {
        if (status == null || status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("finishRun needs a final status, not " + status);
        }
        pending.flush();
        int updated = withDb("finish run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE runs SET status = ?, message = ?, ended_at = ? WHERE id = ?")) {
                ps.setString(1, status.name());
                ps.setString(2, message);
                ps.setLong(3, System.currentTimeMillis());
                ps.setLong(4, runId);
                return ps.executeUpdate();
            }
        });
        if (updated == 0) throw noSuchRun(runId);
    }

    @Override
    public void metric(long runId, String name, long step, double value) {
        require(name, "metric name");
        checkOpen();
        pending.add(new PendingMetric(runId, name, step, value));
    }

    /** Writes buffered metric points now. */
    public void flush() {
        pending.flush();
    }

    @Override
    public void trace(long runId, String kind, String json) {
        require(kind, "trace kind");
        try {
            JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("trace event '" + kind + "' for run " + runId
                    + " is not valid JSON (" + e.getOriginalMessage() + "): " + abbreviate(json, 80));
        }
        withDb("record a trace event for run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO trace_events (run_id, seq, kind, json, at) "
                    + "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM trace_events WHERE run_id = ?")) {
                ps.setLong(1, runId);
                ps.setString(2, kind);
                ps.setString(3, json);
                ps.setLong(4, System.currentTimeMillis());
                ps.setLong(5, runId);
                return ps.executeUpdate();
            } catch (SQLException e) {
                if (isForeignKeyFailure(e)) throw noSuchRun(runId);
                throw e;
            }
        });
    }

    @Override
    public Path addArtifact(long runId, String name, Path source) {
        checkArtifactName(name);
        if (get(runId).isEmpty()) throw noSuchRun(runId);
        if (source == null || !Files.exists(source)) {
            throw new IllegalArgumentException("artifact '" + name + "' for run " + runId + ": the file " + source
                    + " does not exist");
        }
        Path target = artifactDir(runId).resolve(name);
        long bytes;
        try {
            AtomicFiles.copy(source, target);
            bytes = AtomicFiles.size(target);
        } catch (IOException e) {
            throw new RunStoreException("cannot keep " + source + " as artifact '" + name + "' of run " + runId
                    + " under " + target + ": " + e, e);
        }
        String relative = dataDir.relativize(target).toString().replace('\\', '/');
        try {
            withDb("record artifact '" + name + "' of run " + runId, c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO artifacts "
                        + "(run_id, name, relative_path, bytes) VALUES (?, ?, ?, ?)")) {
                    ps.setLong(1, runId);
                    ps.setString(2, name);
                    ps.setString(3, relative);
                    ps.setLong(4, bytes);
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            deleteQuietly(target); // no file without its row
            throw e;
        }
        return target;
    }

    @Override
    public void delete(long runId) {
        pending.flush();
        RunRow row = row(runId).orElseThrow(() -> noSuchRun(runId));
        if (row.record().status() == RunStatus.RUNNING && ownerAlive(row)) {
            throw new IllegalStateException("run " + runId + " is still running (process " + row.pid() + " on "
                    + row.host() + "); cancel its job first, then delete it");
        }
        withDb("delete run " + runId, c -> {
            c.setAutoCommit(false);
            try {
                for (String table : List.of("metrics", "artifacts", "trace_events")) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                        ps.setLong(1, runId);
                        ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM runs WHERE id = ?")) {
                    ps.setLong(1, runId);
                    ps.executeUpdate();
                }
                c.commit();
                return null;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
        try {
            AtomicFiles.deleteTree(artifactDir(runId));
        } catch (IOException e) {
            throw new RunStoreException("run " + runId + " was deleted but its files under " + artifactDir(runId)
                    + " could not be removed (" + e + "); delete that folder by hand", e);
        }
    }

    @Override
    public int markOrphansInterrupted() {
        List<RunRow> running = new ArrayList<>();
        withDb("find orphaned runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_ROW + " WHERE status = ?")) {
                ps.setString(1, RunStatus.RUNNING.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) running.add(readRow(rs));
                }
            }
            return null;
        });
        String here = thisHost();
        int marked = 0;
        for (RunRow row : running) {
            // a run from another machine may be alive there; only its own host can tell
            if (row.host() != null && !row.host().equals(here)) continue;
            if (ownerAlive(row)) continue;
            String message = "the process that ran it (pid " + row.pid() + " on " + row.host() + ") ended without "
                    + "finishing it (killed or crashed); marked interrupted at "
                    + DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneId.systemDefault()).format(Instant.now());
            int updated = withDb("mark run " + row.record().id() + " interrupted", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE runs SET status = ?, message = ? WHERE id = ? AND status = ?")) {
                    ps.setString(1, RunStatus.INTERRUPTED.name());
                    ps.setString(2, message);
                    ps.setLong(3, row.record().id());
                    ps.setString(4, RunStatus.RUNNING.name());
                    return ps.executeUpdate();
                }
            });
            marked += updated;
        }
        if (marked > 0) log.info("marked {} orphaned run(s) in {} as interrupted", marked, databaseFile);
        return marked;
    }

    // ---------------------------------------------------------------- reading

    @Override
    public List<RunRecord> list(RunQuery query) {
        RunQuery q = query == null ? RunQuery.all() : query;
        StringBuilder sql = new StringBuilder(SELECT_ROW + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.plugin() != null && !q.plugin().isBlank()) {
            sql.append(" AND plugin = ?");
            args.add(q.plugin());
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
            args.add(q.status().name());
        }
        if (q.text() != null && !q.text().isBlank()) {
            sql.append(" AND (title LIKE ? ESCAPE '\\' OR kind LIKE ? ESCAPE '\\' OR plugin LIKE ? ESCAPE '\\'"
                    + " OR model_ref LIKE ? ESCAPE '\\')");
            String like = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            for (int i = 0; i < 4; i++) args.add(like);
        }
        sql.append(" ORDER BY id DESC");
        if (q.limit() > 0) {
            sql.append(" LIMIT ?");
            args.add(q.limit());
        }
        return withDb("list runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                List<RunRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(readRow(rs).record());
                }
                return out;
            }
        });
    }

    @Override
    public Optional<RunRecord> get(long runId) {
        return row(runId).map(RunRow::record);
    }

    /** The process and host that wrote a run (for the runs browser and orphan checks). */
    public Optional<String> owner(long runId) {
        return row(runId).map(r -> "pid " + r.pid() + " on " + r.host());
    }

    @Override
    public List<MetricPoint> metrics(long runId) {
        pending.flush();
        return withDb("read metrics of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, step, value FROM metrics WHERE run_id = ? ORDER BY name, step, rowid")) {
                ps.setLong(1, runId);
                List<MetricPoint> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // NULL is how SQLite keeps NaN
                        Object v = rs.getObject(3);
                        out.add(new MetricPoint(rs.getString(1), rs.getLong(2),
                                v == null ? Double.NaN : ((Number) v).doubleValue()));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<ArtifactRecord> artifacts(long runId) {
        return withDb("read artifacts of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, relative_path, bytes FROM artifacts WHERE run_id = ? ORDER BY name")) {
                ps.setLong(1, runId);
                List<ArtifactRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new ArtifactRecord(runId, rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
                return out;
            }
        });
    }

    @Override
    public List<TraceEvent> traces(long runId) {
        return withDb("read trace events of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, kind, json, at FROM trace_events WHERE run_id = ? ORDER BY seq")) {
                ps.setLong(1, runId);
                List<TraceEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TraceEvent(runId, rs.getLong(1), rs.getString(2), rs.getString(3),
                                Instant.ofEpochMilli(rs.getLong(4))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Path exportBundle(long runId, Path target) {
        pending.flush();
        RunRow row = row(runId).orElseThrow(() -> noSuchRun(runId));
        RunBundle bundle = new RunBundle(row.record(), row.pid(), row.host(), metrics(runId), traces(runId),
                artifacts(runId), dataDir);
        try {
            return AtomicFiles.write(target, bundle::writeZip);
        } catch (IOException e) {
            throw new RunStoreException("cannot write the bundle of run " + runId + " to " + target + ": " + e, e);
        }
    }

    /** The schema version of the open database. */
    public int schemaVersion() {
        return withDb("read the schema version", SchemaMigrations::currentVersion);
    }

    @Override
    public void close() {
        if (closed) return;
        pending.flush();
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.flush(); // anything a racing metric() added while the flusher stopped
        db.lock();
        try {
            closed = true;
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the run store {}: {}", databaseFile, e.toString());
        } finally {
            db.unlock();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownFlush);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting; the hook has nothing left to flush
        }
    }

    // ---------------------------------------------------------------- internals

    private static final String SELECT_ROW = "SELECT id, plugin, kind, title, parameters_json, status, message, "
            + "model_ref, started_at, ended_at, pid, host FROM runs";

    /** A runs row with the columns the public record leaves out. */
    record RunRow(RunRecord record, long pid, String host) {}

    private Optional<RunRow> row(long runId) {
        return withDb("read run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_ROW + " WHERE id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readRow(rs)) : Optional.<RunRow>empty();
                }
            }
        });
    }

    private static RunRow readRow(ResultSet rs) throws SQLException {
        Object ended = rs.getObject(10);
        Instant endedAt = ended == null ? null : Instant.ofEpochMilli(((Number) ended).longValue());
        RunRecord record = new RunRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), RunStatus.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8),
                Instant.ofEpochMilli(rs.getLong(9)), endedAt);
        Object pid = rs.getObject(11);
        return new RunRow(record, pid == null ? -1 : ((Number) pid).longValue(), rs.getString(12));
    }

    /** Whether the process that wrote a RUNNING run is still the one alive under its pid. */
    private static boolean ownerAlive(RunRow row) {
        if (row.host() != null && !row.host().equals(thisHost())) return true; // cannot know; assume alive
        if (row.pid() <= 0) return false;
        if (row.pid() == ProcessHandle.current().pid()) return true;
        Optional<ProcessHandle> process = ProcessHandle.of(row.pid());
        if (process.isEmpty() || !process.get().isAlive()) return false;
        // a process that started after the run cannot have written it: the pid was reused (e.g. after a reboot)
        Optional<Instant> started = process.get().info().startInstant();
        return started.isEmpty() || !started.get().isAfter(row.record().startedAt().plusSeconds(2));
    }

    private void writeMetrics(List<PendingMetric> batch) {
        if (batch.isEmpty()) return;
        try {
            withDb("write " + batch.size() + " metric points", c -> {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO metrics (run_id, step, name, value) VALUES (?, ?, ?, ?)")) {
                    for (PendingMetric m : batch) {
                        bindMetric(ps, m);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                    return null;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            });
        } catch (RunStoreException e) {
            if (closed) throw e;
            // one bad point (e.g. for a run deleted meanwhile) must not lose the others: write them one by one
            writeMetricsOneByOne(batch, e);
        }
    }

    private void writeMetricsOneByOne(List<PendingMetric> batch, RunStoreException batchFailure) {
        int lost = 0;
        String firstProblem = null;
        for (PendingMetric m : batch) {
            try {
                withDb("write a metric point", c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO metrics (run_id, step, name, value) VALUES (?, ?, ?, ?)")) {
                        bindMetric(ps, m);
                        return ps.executeUpdate();
                    }
                });
            } catch (RunStoreException e) {
                lost++;
                if (firstProblem == null) firstProblem = "run " + m.runId() + " '" + m.name() + "': " + e.getMessage();
            }
        }
        if (lost > 0) {
            log.warn("dropped {} of {} metric points that could not be written to {} (first: {}; batch error: {})",
                    lost, batch.size(), databaseFile, firstProblem, batchFailure.getMessage());
        }
    }

    private static void bindMetric(PreparedStatement ps, PendingMetric m) throws SQLException {
        ps.setLong(1, m.runId());
        ps.setLong(2, m.step());
        ps.setString(3, m.name());
        if (Double.isNaN(m.value())) ps.setNull(4, Types.REAL); // SQLite turns NaN into NULL anyway; say so
        else ps.setDouble(4, m.value());
    }

    private void flushQuietly() {
        try {
            if (!closed) pending.flush();
        } catch (RuntimeException e) {
            log.warn("flushing metrics of {} at exit: {}", databaseFile, e.toString());
        }
    }

    @FunctionalInterface
    private interface DbWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withDb(String what, DbWork<T> work) {
        db.lock();
        try {
            checkOpen();
            return work.run(connection);
        } catch (SQLException e) {
            throw new RunStoreException("run store " + databaseFile + ": could not " + what + ": " + e.getMessage(), e);
        } finally {
            db.unlock();
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the run store " + databaseFile + " is closed");
    }

    Path artifactDir(long runId) {
        return dataDir.resolve(ARTIFACTS_DIR).resolve(Long.toString(runId));
    }

    private static void checkArtifactName(String name) {
        if (name == null || name.isBlank() || name.equals(".") || name.equals("..") || name.contains("/")
                || name.contains("\\") || name.contains("\0") || name.endsWith(AtomicFiles.PARTIAL_SUFFIX)) {
            throw new IllegalArgumentException("artifact name '" + name + "' is not a plain file name; use a name "
                    + "like 'loss.csv' or 'edited-model' without '/' or '\\'");
        }
    }

    private static String normaliseParameters(String json) {
        if (json == null || json.isBlank()) return "{}";
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("run parameters must be a JSON object, got: " + abbreviate(json, 80));
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("run parameters are not valid JSON (" + e.getOriginalMessage() + "): "
                    + abbreviate(json, 80));
        }
    }

    private static boolean isForeignKeyFailure(SQLException e) {
        return e.getMessage() != null && e.getMessage().contains("FOREIGN KEY");
    }

    private static IllegalArgumentException noSuchRun(long runId) {
        return new IllegalArgumentException("there is no run " + runId + " in the run store; list runs with "
                + "`layerwise runs list`");
    }

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " must not be empty");
    }

    static String abbreviate(String s, int max) {
        if (s == null) return "null";
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static void checkWriteAheadLog(Connection c, Path file) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            String mode = rs.next() ? rs.getString(1) : "?";
            if (!"wal".equalsIgnoreCase(mode)) {
                log.warn("the run store {} runs in journal mode '{}' instead of WAL (a network file system?); it stays "
                        + "correct but other processes wait longer for it", file, mode);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing; the first error is the one to report
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            AtomicFiles.deleteTree(p);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", p, e.toString());
        }
    }

    private static volatile String host;

    /**
     * This machine's name, as recorded with each run. It must come out the same in every process (the GUI from
     * a desktop launcher, the CLI from a shell), so no environment variables: the kernel's name on Linux, else
     * the JDK's local host name.
     */
    static String thisHost() {
        String h = host;
        if (h != null) return h;
        try {
            h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException notLinux) {
            h = null;
        }
        if (h == null || h.isEmpty()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
        }
        host = h;
        return h;
    }
}
