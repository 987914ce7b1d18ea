package org.layerwise.engine.runs;

/** A metric point not yet written. */
record PendingMetric(long runId, String name, long step, double value) {}
