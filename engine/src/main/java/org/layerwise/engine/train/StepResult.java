package org.layerwise.engine.train;

/**
 * One optimiser update.
 *
 * @param step      the update's number (1-based)
 * @param loss      the step's mean loss (Σ loss / Σ weight over its micro-batches), before the update
 * @param rate      the learning rate used
 * @param gradNorm  the global gradient norm before clipping
 * @param tokens    tokens fed through the model
 * @param seconds   wall time of the step
 */
public record StepResult(long step, double loss, double rate, double gradNorm, long tokens, double seconds) {
    public double tokensPerSecond() { return seconds > 0 ? tokens / seconds : 0; }
}
