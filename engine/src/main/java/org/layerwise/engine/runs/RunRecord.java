package org.layerwise.engine.runs;

import java.time.Instant;

/** One row of the runs table. parametersJson is the job's hyper-parameters as a JSON object. */
public record RunRecord(long id, String plugin, String kind, String title, String parametersJson, RunStatus status,
                        String message, String modelRef, Instant startedAt, Instant endedAt) {}
