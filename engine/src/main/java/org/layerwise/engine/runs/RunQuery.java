package org.layerwise.engine.runs;

/** Filters for listing runs; null fields match everything. text matches title, kind, plugin or model. */
public record RunQuery(String plugin, RunStatus status, String text, int limit) {
    public static RunQuery all() { return new RunQuery(null, null, null, 0); }
}
