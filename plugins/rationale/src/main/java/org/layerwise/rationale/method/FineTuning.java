package org.layerwise.rationale.method;

import ai.djl.ndarray.NDManager;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.train.AdamW;
import org.layerwise.engine.train.LearningRateSchedule;
import org.layerwise.engine.train.Trainer;
import org.layerwise.engine.train.TrainingOptions;
import org.layerwise.engine.train.TrainingResult;

import java.io.IOException;
import java.util.List;

/**
 * Trains a float32 model in place on supervised examples with the engine {@link Trainer} and AdamW (β 0.9/0.98,
 * weight decay 0.01), linear warm-up then cosine decay to a tenth, gradient clipping at 1; an update whose gradient is
 * not finite is skipped ({@link NonFiniteGuard}).
 *
 * @param steps      optimiser updates
 * @param batchSize  examples per update (an align example is two rows)
 */
public record FineTuning(int steps, int batchSize, double peakRate, int warmup, long seed) {
    /** The grid's fine-tuning: 150 steps of 16 items (2.4k items, about 0.6 epochs of the 4k training items). */
    public static FineTuning standard() { return new FineTuning(150, 16, 1e-3, 15, 21); }

    public TrainingResult run(TransformerModel model, List<TrainingExamples.Example> examples, JobContext ctx) throws IOException {
        TrainingOptions options = new TrainingOptions(steps, 1, 1.0, new LearningRateSchedule(peakRate, Math.min(warmup, steps),
                steps, LearningRateSchedule.Decay.COSINE, peakRate / 10), 0, 0);
        NonFiniteGuard guard;
        try (NDManager m = NDManager.newBaseManager();
             Trainer<SupervisedBatch> trainer = new Trainer<>(model, new SupervisedObjective(model),
                     guard = new NonFiniteGuard(new AdamW(m, 0.9, 0.98, 1e-8, 0.01, true)), options, seed)) {
            TrainingResult r = trainer.run(TrainingExamples.batches(examples, batchSize, seed), List.of(), null, ctx);
            if (ctx != null) for (String line : guard.skipped()) ctx.log("skipped " + line);
            if (ctx != null && !guard.skipped().isEmpty()) ctx.metric("skipped_updates", steps, guard.skipped().size());
            return r;
        }
    }
}
