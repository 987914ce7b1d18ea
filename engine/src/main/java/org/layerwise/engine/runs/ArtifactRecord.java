package org.layerwise.engine.runs;

import java.nio.file.Path;

/** A file kept with a run; relativePath is relative to the data directory. */
public record ArtifactRecord(long runId, String name, String relativePath, long bytes) {}
