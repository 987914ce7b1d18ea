package org.layerwise.engine.runs;

public enum RunStatus { RUNNING, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED }
