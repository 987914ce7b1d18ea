package org.layerwise.engine.train;

/** Mean loss over a held-out set (weighted as in training) and its perplexity exp(loss). */
public record Evaluation(double loss, long weight) {
    public double perplexity() { return Math.exp(loss); }
}
