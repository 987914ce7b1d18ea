package org.layerwise.engine.runs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every run, its parameters, metric series, artifacts and trace events. Written as it goes: each call
 * commits, so a killed process loses nothing that completed. Implemented over SQLite in WAL mode.
 */
public interface RunStore extends AutoCloseable {
    /** The data directory that holds the database and the artifacts. */
    Path dataDir();

    long startRun(String plugin, String kind, String title, String parametersJson, String modelRef);

    void finishRun(long runId, RunStatus status, String message);

    void metric(long runId, String name, long step, double value);

    void trace(long runId, String kind, String json);

    /** Copies {@code source} under the data directory and records it; returns the stored file. */
    Path addArtifact(long runId, String name, Path source);

    List<RunRecord> list(RunQuery query);

    Optional<RunRecord> get(long runId);

    List<MetricPoint> metrics(long runId);

    List<ArtifactRecord> artifacts(long runId);

    List<TraceEvent> traces(long runId);

    /** Removes the run, its rows and its artifact files. */
    void delete(long runId);

    /** Writes a bundle: a zip with run.json (parameters, status, metrics, traces) and the artifacts. */
    Path exportBundle(long runId, Path target);

    /** Marks runs left RUNNING by a dead process as INTERRUPTED; returns how many. */
    int markOrphansInterrupted();

    @Override
    void close();
}
