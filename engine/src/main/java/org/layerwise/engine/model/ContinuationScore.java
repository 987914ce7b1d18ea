package org.layerwise.engine.model;

/**
 * The log-probability a model gives a continuation after a prompt: the sum over the continuation's
 * tokens of log P(token | everything before it), and how many tokens that is (for length-normalised
 * scores). A token straddling the prompt/continuation boundary counts as a continuation token.
 */
public record ContinuationScore(String continuation, double logProb, int tokens) {
    /** logProb / tokens (0 tokens gives 0). */
    public double meanLogProb() { return tokens == 0 ? 0 : logProb / tokens; }
}
