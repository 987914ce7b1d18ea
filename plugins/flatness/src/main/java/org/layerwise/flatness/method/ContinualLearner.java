package org.layerwise.flatness.method;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.train.AdamW;
import org.layerwise.engine.train.BoxClamp;
import org.layerwise.engine.train.ClassificationBatch;
import org.layerwise.engine.train.Classifier;
import org.layerwise.engine.train.DiagonalFisher;
import org.layerwise.engine.train.MlpClassifier;
import org.layerwise.engine.train.EncoderClassifier;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.train.ParameterLoss;
import org.layerwise.engine.train.ParameterSpace;
import org.layerwise.engine.train.QuadraticPenalty;
import org.layerwise.engine.train.SharpnessAwareStep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The continual-learning harness: trains one classifier on the tasks of a {@link TaskSequence} in order and fills
 * the accuracy matrix as it goes. Every method is a combination of the switches of a {@link ContinualConfig}:
 * <ul>
 * <li>per step: the gradient of the task loss, sharpness-aware when {@code asam} (C&amp;F's "create flatness");
 *     plus λ·F⊙(θ − θ*) when {@code penalty} and a task is done; an AdamW update; the box clamp when {@code clamp};</li>
 * <li>every {@code replay_every} steps with {@code replay}: one step on a batch of each old task's memory;</li>
 * <li>after each task: test accuracy on every task (a row of a[l][j]), validation accuracy, the diagonal Fisher of
 *     the task (per-sample gradients) consolidated as F ← decay·F + F_t, θ* ← θ, and the task's replay memory.</li>
 * </ul>
 * {@code multitask} trains on all tasks at once (batches of the tasks interleaved) and fills only the last row:
 * the reference a* for intransigence. Everything measured goes to the job's run as it happens (metrics
 * {@code acc/<j>} at step l, {@code avg_acc}, {@code forgetting}, {@code val_acc}, {@code loss}; a trace event per
 * task), so a cancelled run keeps every completed task. The run owns the classifier and the snapshots until closed.
 */
public final class ContinualLearner implements AutoCloseable {
    /** What a listener sees after each task: the matrix so far and the task just finished. */
    public record Progress(int task, AccuracyMatrix matrix, double validationAccuracy) {}

    private final TaskSequence sequence;
    private final ContinualConfig config;
    private final long seed;
    private final Classifier classifier;
    private final NDManager state = NDManager.newBaseManager();
    private final AccuracyMatrix matrix;
    private final double[] validation;
    private final List<Map<String, NDArray>> solutions = new ArrayList<>();
    private final List<Map<String, NDArray>> taskFishers = new ArrayList<>();
    private final List<int[]> memory = new ArrayList<>();
    private Map<String, NDArray> fisher;
    private Map<String, NDArray> anchor;
    private QuadraticPenalty penalty;
    private BoxClamp box;
    private long steps;

    /** An MLP for vector tasks; for text tasks the sequence's encoder (loaded in float32) with one head per task. */
    public ContinualLearner(TaskSequence sequence, ContinualConfig config, long seed) {
        this(sequence, config, seed, classifierFor(sequence, config, seed));
    }

    private static Classifier classifierFor(TaskSequence sequence, ContinualConfig config, long seed) {
        int[] heads = config.flag("class_incremental") ? new int[]{sequence.totalClasses()}
                : sequence.tasks().stream().mapToInt(TaskData::classCount).toArray();
        if (!sequence.text()) return new MlpClassifier(sequence.tasks().get(0).train().dim(), config.hidden(), heads, seed, Device.cpu());
        try {
            TransformerModel model = TransformerModel.load(sequence.encoder(),
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
            return new OwningEncoderClassifier(new EncoderClassifier(model, heads, 0, seed), model);
        } catch (org.layerwise.engine.checkpoint.CheckpointException | org.layerwise.engine.model.InsufficientMemoryException e) {
            throw new IllegalStateException("cannot load the encoder " + sequence.encoder() + " of " + sequence.name() + ": " + e.getMessage(), e);
        }
    }

    /** An encoder classifier that also closes its model. */
    private record OwningEncoderClassifier(EncoderClassifier inner, TransformerModel model) implements Classifier {
        @Override public Map<String, NDArray> parameters() { return inner.parameters(); }
        @Override public int heads() { return inner.heads(); }
        @Override public int classes(int head) { return inner.classes(head); }
        @Override public NDArray logits(NDManager scope, ClassificationBatch batch) { return inner.logits(scope, batch); }
        @Override public NDArray features(NDManager scope, ClassificationBatch batch) { return inner.features(scope, batch); }
        @Override public void close() {
            inner.close();
            model.close();
        }
    }

    /** Uses a caller-built classifier (e.g. an encoder with one head per task); the learner closes it. */
    public ContinualLearner(TaskSequence sequence, ContinualConfig config, long seed, Classifier classifier) {
        this.sequence = sequence;
        this.config = config.validated();
        this.seed = seed;
        this.classifier = classifier;
        this.matrix = new AccuracyMatrix(sequence.tasks().size());
        this.validation = new double[sequence.tasks().size()];
        java.util.Arrays.fill(validation, Double.NaN);
    }

    public Classifier classifier() { return classifier; }

    public AccuracyMatrix matrix() { return matrix; }

    public double[] validationAccuracy() { return validation.clone(); }

    public TaskSequence sequence() { return sequence; }

    public ContinualConfig config() { return config; }

    /** θ after each finished task (index = task). */
    public List<Map<String, NDArray>> solutions() { return solutions; }

    /** The Fisher of each finished task alone (before consolidation), when it was computed. */
    public List<Map<String, NDArray>> taskFishers() { return taskFishers; }

    /** The head that scores task {@code t} and the label offset of its classes. */
    public int head(int t) { return config.flag("class_incremental") ? 0 : t; }

    public int labelOffset(int t) { return config.flag("class_incremental") ? sequence.tasks().get(t).offset() : 0; }

    /** Mean loss of task {@code t} on (up to {@code rows} of) a split, as a loss of the live parameters. */
    public ParameterLoss taskLoss(int t, TaskData.Split split, int rows) {
        int n = Math.min(rows, split.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return classifier.meanLoss(split.batch(head(t), idx, labelOffset(t)));
    }

    /** Runs the whole sequence (or the multi-task bound). {@code ctx} and {@code listener} may be null. */
    public AccuracyMatrix run(JobContext ctx, Consumer<Progress> listener) {
        List<TaskData> tasks = sequence.tasks();
        if (config.flag("multitask")) {
            trainMultitask(ctx);
            int last = tasks.size() - 1;
            for (int j = 0; j < tasks.size(); j++) matrix.set(last, j, accuracy(j, tasks.get(j).test()));
            for (int j = 0; j < tasks.size(); j++) validation[j] = accuracy(j, tasks.get(j).validation());
            report(ctx, last, listener);
            return matrix;
        }
        for (int t = 0; t < tasks.size(); t++) {
            trainTask(t, ctx);
            for (int j = 0; j < tasks.size(); j++) matrix.set(t, j, accuracy(j, tasks.get(j).test()));
            validation[t] = accuracy(t, tasks.get(t).validation());
            consolidate(t, ctx);
            report(ctx, t, listener);
        }
        return matrix;
    }

    private void report(JobContext ctx, int t, Consumer<Progress> listener) {
        if (ctx != null) {
            for (int j = 0; j < matrix.tasks(); j++) ctx.metric("acc/" + j, t, matrix.get(t, j));
            if (!config.flag("multitask")) {
                ctx.metric("avg_acc", t, matrix.averageAccuracy(t));
                ctx.metric("forgetting", t, matrix.forgetting(t));
                ctx.metric("val_acc", t, validation[t]);
            }
            StringBuilder row = new StringBuilder("[");
            for (int j = 0; j < matrix.tasks(); j++) row.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", matrix.get(t, j)));
            ctx.trace("task_done", String.format(Locale.ROOT, "{\"task\":%d,\"name\":\"%s\",\"accuracy\":%s],\"steps\":%d}",
                    t, sequence.tasks().get(t).name().replace("\"", "'"), row, steps));
            ctx.log(String.format(Locale.ROOT, "after task %d (%s): average accuracy %.4f, forgetting %.4f",
                    t, sequence.tasks().get(t).name(), matrix.averageAccuracy(t), matrix.forgetting(t)));
        }
        if (listener != null) listener.accept(new Progress(t, AccuracyMatrix.of(matrix.values()), validation[t]));
    }

    private AdamW optimizer() {
        return new AdamW(state, 0.9, 0.999, 1e-8, config.number("weight_decay"), true);
    }

    private void trainTask(int t, JobContext ctx) {
        TaskData task = sequence.tasks().get(t);
        int batch = config.integer("batch_size"), epochs = config.integer("epochs");
        int n = task.train().size(), perEpoch = (n + batch - 1) / batch;
        try (AdamW opt = optimizer()) {
            for (int e = 0; e < epochs; e++) {
                int[] order = permutation(n, new Random(seed * 1_000_003L + t * 131L + e));
                for (int b = 0; b < perEpoch; b++) {
                    if (ctx != null) ctx.checkCancelled();
                    int[] idx = java.util.Arrays.copyOfRange(order, b * batch, Math.min(n, (b + 1) * batch));
                    double loss = step(opt, task.train().batch(head(t), idx, labelOffset(t)));
                    steps++;
                    if (ctx != null) {
                        ctx.metric("loss", steps, loss);
                        if (b % 10 == 0) ctx.progress(((double) t + (e + (double) b / perEpoch) / epochs) / sequence.tasks().size(),
                                String.format(Locale.ROOT, "task %d/%d (%s)  epoch %d  loss %.4f", t + 1, sequence.tasks().size(), task.name(), e + 1, loss));
                    }
                    if (config.flag("replay") && steps % config.integer("replay_every") == 0)
                        for (int j = 0; j < t; j++) step(opt, replayBatch(j, batch, steps));
                }
            }
        }
    }

    private ClassificationBatch replayBatch(int j, int batch, long step) {
        int[] mem = memory.get(j);
        int[] order = permutation(mem.length, new Random(seed * 7919L + step * 31 + j));
        int[] idx = new int[Math.min(batch, mem.length)];
        for (int i = 0; i < idx.length; i++) idx[i] = mem[order[i]];
        return sequence.tasks().get(j).train().batch(head(j), idx, labelOffset(j));
    }

    private void trainMultitask(JobContext ctx) {
        List<TaskData> tasks = sequence.tasks();
        int batch = config.integer("batch_size"), epochs = config.integer("epochs");
        try (AdamW opt = optimizer()) {
            for (int e = 0; e < epochs; e++) {
                List<ClassificationBatch> all = new ArrayList<>();
                for (int t = 0; t < tasks.size(); t++) {
                    int n = tasks.get(t).train().size();
                    int[] order = permutation(n, new Random(seed * 1_000_003L + t * 131L + e));
                    for (int s = 0; s < n; s += batch)
                        all.add(tasks.get(t).train().batch(head(t), java.util.Arrays.copyOfRange(order, s, Math.min(n, s + batch)), labelOffset(t)));
                }
                java.util.Collections.shuffle(all, new Random(seed * 17 + e));
                for (int b = 0; b < all.size(); b++) {
                    if (ctx != null) ctx.checkCancelled();
                    double loss = step(opt, all.get(b));
                    steps++;
                    if (ctx != null) {
                        ctx.metric("loss", steps, loss);
                        if (b % 20 == 0) ctx.progress((e + (double) b / all.size()) / epochs,
                                String.format(Locale.ROOT, "multi-task epoch %d  loss %.4f", e + 1, loss));
                    }
                }
            }
        }
    }

    /** One update on one batch; returns the batch loss at the unperturbed weights. */
    private double step(AdamW opt, ClassificationBatch batch) {
        Map<String, NDArray> params = classifier.parameters();
        try (NDManager scope = state.newSubManager()) {
            ParameterLoss loss = classifier.meanLoss(batch);
            double value;
            Map<String, NDArray> g;
            if (config.flag("asam")) {
                SharpnessAwareStep sam = new SharpnessAwareStep(config.flag("asam_adaptive") ? SharpnessAwareStep.Kind.ASAM
                        : SharpnessAwareStep.Kind.SAM, config.number("rho"));
                SharpnessAwareStep.Result r = sam.gradient(params, loss, scope);
                g = r.gradient();
                value = r.loss();
            } else {
                double[] v = new double[1];
                g = ParameterSpace.gradient(params, s -> {
                    NDArray l = loss.loss(s);
                    v[0] = l.getFloat();
                    return l;
                }, scope);
                value = v[0];
            }
            g.keySet().removeIf(name -> isHead(name) && !name.startsWith("heads." + batch.head() + "."));   // other tasks' heads stay put
            if (penalty != null) penalty.addGradient(params, g);
            try (GradMode off = GradMode.off()) {
                opt.update(params, g, config.number("lr"));
            }
            if (box != null) box.apply(params);
            return value;
        }
    }

    private static boolean isHead(String name) { return name.startsWith("heads."); }

    /** After task t: Fisher, anchor, penalty, clamp box, replay memory, snapshot. */
    private void consolidate(int t, JobContext ctx) {
        Map<String, NDArray> params = classifier.parameters();
        solutions.add(ParameterSpace.copy(params, state));
        boolean needFisher = config.flag("penalty") || config.flag("clamp");
        TaskData task = sequence.tasks().get(t);
        if (needFisher || t < sequence.tasks().size() - 1) {
            int samples = Math.min(config.integer("fisher_samples"), task.train().size());
            int[] pick = permutation(task.train().size(), new Random(seed * 3 + t));
            List<ParameterLoss> perSample = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                ClassificationBatch one = task.train().batch(head(t), new int[]{pick[i]}, labelOffset(t));
                perSample.add(s -> classifier.lossSum(s, one));
            }
            if (ctx != null) ctx.progress(Double.NaN, "Fisher of task " + (t + 1) + " from " + samples + " samples");
            Map<String, NDArray> ft = DiagonalFisher.estimate(params, perSample, state, ctx);
            taskFishers.add(ft);
            Map<String, NDArray> old = fisher;
            fisher = DiagonalFisher.consolidate(old, ft, config.number("fisher_decay"), state);
            if (old != null) old.values().forEach(NDArray::close);
        }
        // anchor: the body and the heads of the tasks seen so far (future heads must stay free to learn)
        Map<String, NDArray> kept = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String name = e.getKey();
            if (!isHead(name) || headIndex(name) <= head(t)) kept.put(name, e.getValue());
        }
        if (anchor != null) anchor.values().forEach(NDArray::close);
        anchor = ParameterSpace.copy(kept, state);
        if (config.flag("penalty")) penalty = new QuadraticPenalty(fisher, anchor, config.number("lambda"));
        if (config.flag("clamp")) box = new BoxClamp(anchor, config.number("clamp_rho"), state);
        if (config.flag("replay")) {
            int count = (int) Math.max(1, Math.round(task.train().size() * config.number("replay_fraction")));
            memory.add(ReplayMemory.select(classifier, task.train(), head(t), count, config.flag("replay_kmeans"), seed + t));
        }
    }

    private static int headIndex(String name) {
        int a = name.indexOf('.') + 1, b = name.indexOf('.', a);
        return Integer.parseInt(name.substring(a, b));
    }

    /** Test (or validation) accuracy of task j with its head. */
    public double accuracy(int j, TaskData.Split split) {
        if (split.size() == 0) return Double.NaN;
        int correct = 0;
        for (ClassificationBatch b : split.batches(head(j), 256, labelOffset(j))) {
            int[] p = classifier.predict(b);
            for (int i = 0; i < p.length; i++) if (p[i] == b.labels()[i]) correct++;
        }
        return (double) correct / split.size();
    }

    /** The clamp box of the last finished task, or null. */
    public BoxClamp box() { return box; }

    /** The consolidated Fisher, or null. */
    public Map<String, NDArray> fisher() { return fisher; }

    static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int x = p[i]; p[i] = p[j]; p[j] = x;
        }
        return p;
    }

    @Override
    public void close() {
        classifier.close();
        state.close();
    }
}
