package org.layerwise.engine.llm;

import java.util.List;

/**
 * How to complete: at most {@code maxTokens} new tokens, sampling temperature (0 = greedy), stop strings, and a seed
 * (honoured by the local backend; passed on to servers that accept one).
 */
public record CompletionOptions(int maxTokens, double temperature, List<String> stop, long seed) {
    public CompletionOptions {
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        if (temperature < 0) throw new IllegalArgumentException("temperature must be ≥ 0, was " + temperature);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static CompletionOptions greedy(int maxTokens) { return new CompletionOptions(maxTokens, 0, List.of(), 0); }

    public CompletionOptions withTemperature(double t) { return new CompletionOptions(maxTokens, t, stop, seed); }

    public CompletionOptions withStop(List<String> s) { return new CompletionOptions(maxTokens, temperature, s, seed); }
}
