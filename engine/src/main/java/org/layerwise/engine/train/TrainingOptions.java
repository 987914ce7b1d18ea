package org.layerwise.engine.train;

/**
 * How a {@link Trainer} runs.
 *
 * @param steps           optimiser updates in the whole run
 * @param accumulation    micro-batches per update (their gradients add up to one batch's)
 * @param clipNorm        largest global gradient norm (L2 over every parameter) before the update; 0 = no clipping
 * @param schedule        learning rate per step
 * @param evalEvery       steps between held-out evaluations (and at the last step); 0 = never
 * @param checkpointEvery steps between checkpoints (and at the last step); 0 = only at the last step
 */
public record TrainingOptions(long steps, int accumulation, double clipNorm, LearningRateSchedule schedule,
                              int evalEvery, int checkpointEvery) {
    public TrainingOptions {
        if (steps < 1) throw new IllegalArgumentException("steps must be ≥ 1, not " + steps);
        if (accumulation < 1) throw new IllegalArgumentException("gradient accumulation must be ≥ 1 micro-batch, not " + accumulation);
        if (clipNorm < 0) throw new IllegalArgumentException("clip norm must be ≥ 0 (0 = off), not " + clipNorm);
        if (evalEvery < 0 || checkpointEvery < 0) throw new IllegalArgumentException("evalEvery and checkpointEvery must be ≥ 0");
        if (schedule == null) throw new IllegalArgumentException("a learning-rate schedule is required");
    }

    public TrainingOptions withSteps(long n) {
        return new TrainingOptions(n, accumulation, clipNorm, schedule, evalEvery, checkpointEvery);
    }
}
