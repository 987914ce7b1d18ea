package org.layerwise.engine.train;

/**
 * Linear warm-up from 0 to the peak rate over {@code warmupSteps}, then a linear or cosine decay to
 * {@code minRate} at {@code totalSteps} (or a constant rate). Steps count from 1: the first update uses
 * {@code at(1)}.
 */
public record LearningRateSchedule(double peakRate, long warmupSteps, long totalSteps, Decay decay, double minRate) {
    public enum Decay { CONSTANT, LINEAR, COSINE }

    public LearningRateSchedule {
        if (!(peakRate > 0)) throw new IllegalArgumentException("learning rate must be positive, not " + peakRate);
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be ≥ 0, not " + warmupSteps);
        if (totalSteps < 1) throw new IllegalArgumentException("total steps must be ≥ 1, not " + totalSteps);
        if (minRate < 0 || minRate > peakRate)
            throw new IllegalArgumentException("minimum learning rate must be in [0, " + peakRate + "], not " + minRate);
    }

    public static LearningRateSchedule constant(double rate) {
        return new LearningRateSchedule(rate, 0, 1, Decay.CONSTANT, rate);
    }

    public double at(long step) {
        if (warmupSteps > 0 && step <= warmupSteps) return peakRate * step / warmupSteps;
        if (decay == Decay.CONSTANT || totalSteps <= warmupSteps) return peakRate;
        double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
        double shape = decay == Decay.LINEAR ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
        return minRate + (peakRate - minRate) * shape;
    }
}
