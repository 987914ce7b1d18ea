package org.layerwise.engine.train;

import java.util.List;

/**
 * What a run of {@link Trainer#run} did.
 *
 * @param completedSteps the last completed step (counting steps before a resume)
 * @param losses         the loss of each step this trainer ran (after a resume: from the resumed step on)
 * @param lastEvaluation the last held-out evaluation, or null
 */
public record TrainingResult(long completedSteps, List<Double> losses, Evaluation lastEvaluation) {
    public TrainingResult {
        losses = List.copyOf(losses);
    }
}
