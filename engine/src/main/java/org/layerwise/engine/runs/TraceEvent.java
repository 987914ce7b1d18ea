package org.layerwise.engine.runs;

import java.time.Instant;

public record TraceEvent(long runId, long seq, String kind, String json, Instant at) {}
