package org.layerwise.engine.runs;

public record MetricPoint(String name, long step, double value) {}
