package org.layerwise.app.runs;

import org.layerwise.app.Units;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How runs read in the table: local start time, duration (or "running"), model folder name. */
public final class RunFormat {
    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private RunFormat() {}

    public static String started(Instant t) {
        return t == null ? "–" : STARTED.format(t);
    }

    public static String duration(RunRecord r) {
        if (r.startedAt() == null) return "–";
        if (r.endedAt() == null) return r.status() == RunStatus.RUNNING ? "running" : "–";
        return Units.duration(Duration.between(r.startedAt(), r.endedAt()));
    }

    /** A model reference is usually a folder path: show its last part. */
    public static String model(String modelRef) {
        if (modelRef == null || modelRef.isBlank()) return "–";
        try {
            Path p = Path.of(modelRef);
            return p.getFileName() == null ? modelRef : p.getFileName().toString();
        } catch (RuntimeException e) {
            return modelRef;
        }
    }
}
