package org.layerwise.engine.llm;

/** Calls and tokens a backend has spent so far: the budget accounting of prompt optimisation and rationale runs. */
public record Usage(long calls, long inputTokens, long outputTokens, long failedCalls) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage plus(Usage o) {
        return new Usage(calls + o.calls, inputTokens + o.inputTokens, outputTokens + o.outputTokens, failedCalls + o.failedCalls);
    }

    public Usage minus(Usage o) {
        return new Usage(calls - o.calls, inputTokens - o.inputTokens, outputTokens - o.outputTokens, failedCalls - o.failedCalls);
    }
}
