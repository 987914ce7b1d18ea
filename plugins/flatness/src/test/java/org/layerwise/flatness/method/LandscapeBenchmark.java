package org.layerwise.flatness.method;

import org.layerwise.engine.train.LossLandscape;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Times a 21×21 loss landscape of the small encoder on one task: fine-tunes sample-data/models/encoder-small on
 * the first task of the fact-text sequence (sequential fine-tuning, one epoch), then evaluates the task's loss
 * (its 200 test sentences) on a 21×21 filter-normalised plane around the solution. Prints wall time and the CPU
 * time of the calling thread (PyTorch runs its single intra-op thread there), which is what an idle core would take
 * when the machine is shared. Run on one thread:
 * <pre>java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp … org.layerwise.flatness.method.LandscapeBenchmark [sequence.json]</pre>
 */
public final class LandscapeBenchmark {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "sample-data/continual/fact-text.json");
        TaskSequence full = TaskSequence.load(file);
        TaskSequence first = new TaskSequence(full.name(), List.of(full.tasks().get(0)), full.training(), full.methodOverrides(), full.text(), full.encoder());
        ContinualConfig config = MethodComparison.configFor(first, "seq", List.of());
        long t0 = System.nanoTime();
        try (ContinualLearner learner = new ContinualLearner(first, config, 0)) {
            learner.run(null, null);
            long t1 = System.nanoTime();
            java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu1 = bean.getCurrentThreadCpuTime();
            FlatnessViews views = new FlatnessViews(learner, 256);
            LossLandscape.Plane p = views.plane(0, LossLandscape.Directions.FILTER_NORMALISED, 1, 21, 5, null);
            long t2 = System.nanoTime();
            long cpu2 = bean.getCurrentThreadCpuTime();
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double[] r : p.loss()) for (double v : r) { min = Math.min(min, v); max = Math.max(max, v); }
            System.out.printf(Locale.ROOT, "encoder-small (%d parameters incl. head), task '%s' (%d test sentences): fine-tuning %.1f s; "
                            + "21x21 landscape %.1f s wall, %.1f s CPU of this thread (%.0f ms wall per point), loss %.3f at the centre, %.3f..%.3f over the plane; accuracy %.3f%n",
                    org.layerwise.engine.train.ParameterSpace.size(learner.classifier().parameters()), first.tasks().get(0).name(),
                    first.tasks().get(0).test().size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (cpu2 - cpu1) / 1e9, (t2 - t1) / 1e6 / 441, p.loss()[10][10], min, max,
                    learner.matrix().get(0, 0));
        }
    }
}
