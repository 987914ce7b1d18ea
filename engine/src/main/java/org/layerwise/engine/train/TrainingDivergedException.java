package org.layerwise.engine.train;

/**
 * Training produced a NaN or an infinity. Thrown before the offending update, so the weights are those of
 * the last finite step and no checkpoint is overwritten; the message names the step and the first
 * non-finite tensor.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private final long step;
    private final String tensor;

    public TrainingDivergedException(long step, String tensor, String message) {
        super(message);
        this.step = step;
        this.tensor = tensor;
    }

    /** The step that failed (its update was not applied). */
    public long step() { return step; }

    /** The first non-finite weight or gradient, by its parameter name; null when only the loss was. */
    public String tensor() { return tensor; }
}
