package org.layerwise.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Scalars;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TrainableModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Trains every parameter of a float32 {@link TrainableModel} (the transformer, a recurrent or an encoder-decoder model) in place with DJL autograd: per step,
 * {@code accumulation} micro-batches are run forward and backward (each loss scaled by 1 / the step's total
 * weight, so k micro-batches give one big batch's gradient), the global gradient norm is clipped, and the
 * {@link Optimizer} updates the weights at the {@link LearningRateSchedule}'s rate.
 *
 * <pre>{@code
 * TransformerModel model = TransformerModel.create(spec, RandomWeights.create(spec, m, seed, 0.02f), tokenizer, opts, null, tokDir);
 * try (Trainer<TokenBatch> trainer = new Trainer<>(model, new LanguageModelObjective(model),
 *         AdamW.standard(m), options, seed)) {
 *     // trainer.resume(checkpointDir);  // after loading the model with TrainingCheckpoint.loadModel
 *     TrainingResult r = trainer.run(dataset, heldOut.evaluationBatches(), checkpointDir, ctx);
 * }
 * }</pre>
 *
 * Identical seeds, data and options give identical losses (data order is a function of seed and step;
 * the engine's random seed is set from {@code seed}). Metrics reported per step through the
 * {@link JobContext}: loss, lr, grad_norm, tokens_per_s; per evaluation: eval_loss, ppl. Cancelling
 * (between steps) leaves the last checkpoint as it was. Only one trainer may run at a time in a process
 * (DJL allows one gradient collector).
 */
public final class Trainer<B> implements AutoCloseable {
    private final TrainableModel model;
    private final TrainingObjective<B> objective;
    private final Optimizer optimizer;
    private final TrainingOptions options;
    private final long seed;
    private final Map<String, NDArray> parameters;
    private final NDManager manager;
    private final List<Double> losses = new ArrayList<>();
    private long step;
    /** The last checkpoint this trainer wrote or resumed from, or null; named when training diverges. */
    private Path lastCheckpoint;
    private long lastCheckpointStep = -1;
    /** Runs between the forward pass and backward (tests use it to provoke garbage collection there). */
    private Runnable beforeBackward = () -> { };

    /** Takes over the optimiser (closed with the trainer); the model stays the caller's. */
    public Trainer(TrainableModel model, TrainingObjective<B> objective, Optimizer optimizer, TrainingOptions options, long seed) {
        if (model.dataType() != DataType.FLOAT32)
            throw new IllegalArgumentException("Training needs float32 weights, but " + model.name() + " is " + LoadOptions.dtypeName(model.dataType())
                    + "; load it with dtype float32");
        this.model = model;
        this.objective = objective;
        this.optimizer = optimizer;
        this.options = options;
        this.seed = seed;
        this.parameters = new LinkedHashMap<>(model.parameters());
        this.manager = NDManager.newBaseManager(model.djlDevice());
        Engine.getInstance().setRandomSeed((int) seed);
        for (NDArray p : parameters.values()) p.setRequiresGradient(true);
    }

    /** Steps completed (including those before a resume). */
    public long completedSteps() { return step; }

    /** Loss of every step this trainer ran. */
    public List<Double> losses() { return List.copyOf(losses); }

    public TrainingOptions options() { return options; }

    /** Continues from a checkpoint: step count and optimiser state (the model must be the checkpoint's, see {@link TrainingCheckpoint#loadModel}). */
    public void resume(Path checkpointDir) throws IOException {
        TrainingCheckpoint.State state = TrainingCheckpoint.readState(checkpointDir);
        if (state.seed() != seed)
            throw new IOException("The checkpoint " + checkpointDir + " was trained with seed " + state.seed() + ", not " + seed
                    + "; resume with the same seed to see the same data");
        TrainingCheckpoint.restoreOptimizer(checkpointDir, optimizer, manager);
        step = state.step();
        lastCheckpoint = checkpointDir;
        lastCheckpointStep = step;
    }

    /** Writes a checkpoint of the model, optimiser and step to {@code dir} (atomically). */
    public void saveCheckpoint(Path dir) throws IOException {
        String broken = firstNonFinite(parameters);
        if (broken != null)        // never overwrite a good checkpoint with broken weights
            throw diverged(step, "the weight " + broken + " is " + kind(parameters.get(broken)), broken, "no checkpoint was written");
        double last = losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
        TrainingCheckpoint.write(dir, model, optimizer, new TrainingCheckpoint.State(step, optimizer.name(), optimizer.updates(), seed, last));
        lastCheckpoint = dir;
        lastCheckpointStep = step;
    }

    /** One optimiser update from these micro-batches. */
    public StepResult step(List<B> microBatches) {
        if (microBatches.isEmpty()) throw new IllegalArgumentException("A step needs at least one micro-batch");
        long start = System.nanoTime();
        long weight = 0, tokens = 0;
        for (B b : microBatches) {
            weight += objective.weight(b);
            tokens += objective.tokens(b);
        }
        if (weight == 0) throw new IllegalArgumentException("The step's batches hold nothing to predict (all sequences shorter than 2 tokens)");
        long number = step + 1;
        double rate = options.schedule().at(number);
        double lossSum = 0;
        zeroGradients();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            for (B b : microBatches) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray sum = objective.lossSum(scope, b);
                    NDArray scaled = Scalars.over(sum, weight);   // not sum.div(weight): see Scalars
                    beforeBackward.run();
                    collector.backward(scaled);
                    lossSum += sum.getFloat();
                }
            }
        }
        double loss = lossSum / weight;
        double norm;
        try (GradMode off = GradMode.off(); NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> grads = gradients(scope);
            norm = GradientClipping.clip(grads, options.clipNorm(), scope);
            if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                // stop before the update: the weights stay as the last good step left them
                RuntimeException e = divergence(number, loss, norm, grads);
                grads.values().forEach(Trainer::clear);
                throw e;
            }
            optimizer.update(parameters, grads, rate);
            grads.values().forEach(Trainer::clear);
        }
        step = number;
        losses.add(loss);
        return new StepResult(number, loss, rate, norm, tokens, (System.nanoTime() - start) / 1e9);
    }

    /** Mean loss over {@code batches}, without gradients. */
    public Evaluation evaluate(List<B> batches) {
        double sum = 0;
        long weight = 0;
        try (GradMode off = GradMode.off()) {
            for (B b : batches) {
                try (NDManager scope = manager.newSubManager()) {
                    sum += objective.lossSum(scope, b).getFloat();
                    weight += objective.weight(b);
                }
            }
        }
        return new Evaluation(weight == 0 ? Double.NaN : sum / weight, weight);
    }

    /**
     * Runs from the current step to {@code options.steps()}: micro-batch i of step s is
     * {@code source.batch((s-1)·accumulation + i)}. Evaluates on {@code heldOut} (may be empty) every
     * {@code evalEvery} steps and at the end; checkpoints to {@code checkpointDir} (may be null) every
     * {@code checkpointEvery} steps and at the end. {@code ctx} may be null.
     *
     * @throws org.layerwise.engine.jobs.JobCancelledException when cancelled (the last checkpoint stays)
     */
    public TrainingResult run(BatchSource<B> source, List<B> heldOut, Path checkpointDir, JobContext ctx) throws IOException {
        Evaluation last = null;
        long first = step;
        List<Double> ran = new ArrayList<>();
        while (step < options.steps()) {
            if (ctx != null) ctx.checkCancelled();
            List<B> micro = new ArrayList<>(options.accumulation());
            for (int i = 0; i < options.accumulation(); i++) micro.add(source.batch(step * options.accumulation() + i));
            StepResult r = step(micro);        // throws TrainingDivergedException on a non-finite loss or gradient
            ran.add(r.loss());
            boolean end = step == options.steps();
            Map<String, Double> measures = objective.drainMeasures();
            if (ctx != null) {
                ctx.metric("loss", step, r.loss());
                ctx.metric("lr", step, r.rate());
                ctx.metric("grad_norm", step, r.gradNorm());
                ctx.metric("tokens_per_s", step, r.tokensPerSecond());
                for (Map.Entry<String, Double> m : measures.entrySet()) ctx.metric(m.getKey(), step, m.getValue());
                ctx.progress((double) (step - first) / (options.steps() - first),
                        String.format(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e", step, options.steps(), r.loss(), r.rate()));
            }
            if (!heldOut.isEmpty() && (end || options.evalEvery() > 0 && step % options.evalEvery() == 0)) {
                last = evaluate(heldOut);
                Map<String, Double> evalMeasures = objective.drainMeasures();
                if (ctx != null) {
                    for (Map.Entry<String, Double> m : evalMeasures.entrySet()) ctx.metric("eval_" + m.getKey(), step, m.getValue());
                    ctx.metric("eval_loss", step, last.loss());
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "step %d: eval loss %.4f", step, last.loss()));
                    if (!objective.perTokenLoss()) {     // a sentence-level loss or a sum of targets' has no perplexity: name the parts
                        StringJoiner named = new StringJoiner(", ", " (", ")").setEmptyValue("");
                        evalMeasures.forEach((k, v) -> named.add(String.format(Locale.ROOT, "%s %.4f", k, v)));
                        line.append(named);
                    } else {
                        ctx.metric("ppl", step, last.perplexity());
                        line.append(String.format(Locale.ROOT, ", perplexity %.2f", last.perplexity()));
                        evalMeasures.forEach((k, v) -> line.append(String.format(Locale.ROOT, ", %s %.3f", k, v)));
                    }
                    ctx.log(line.toString());
                }
            }
            if (checkpointDir != null && (end || options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0)) {
                saveCheckpoint(checkpointDir);
                if (ctx != null) ctx.log("checkpoint at step " + step + " in " + checkpointDir);
            }
        }
        return new TrainingResult(step, ran, last);
    }

    /** This run as a {@link Job} for the job runner. */
    public Job<TrainingResult> job(BatchSource<B> source, List<B> heldOut, Path checkpointDir) {
        return ctx -> run(source, heldOut, checkpointDir, ctx);
    }

    /** Names the first parameter whose weight, else whose gradient, is not finite. */
    private TrainingDivergedException divergence(long number, double loss, double norm, Map<String, NDArray> grads) {
        String what = Double.isFinite(loss) ? "the loss was " + loss + " but" : "the loss became " + loss + " and";
        String weight = firstNonFinite(parameters);
        if (weight != null)
            return diverged(number, what + " the weight " + weight + " is " + kind(parameters.get(weight)), weight);
        String gradient = firstNonFinite(grads);
        if (gradient != null)
            return diverged(number, what + " the gradient of " + gradient + " is " + kind(grads.get(gradient)), gradient);
        if (!Double.isFinite(loss))
            return diverged(number, what + " every weight and gradient is finite (the forward pass overflowed)", null);
        String largest = largest(grads);
        return diverged(number, what + " the gradient norm is " + norm + " (the squares overflow float32; the largest gradient is "
                + largest + "'s)", largest);
    }

    /** The parameter whose gradient has the largest magnitude. */
    private String largest(Map<String, NDArray> grads) {
        String best = null;
        double max = -1;
        try (GradMode off = GradMode.off(); NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                scope.tempAttachAll(e.getValue());
                double m = e.getValue().abs().max().getFloat();
                if (m > max) {
                    max = m;
                    best = e.getKey();
                }
            }
        }
        return best;
    }

    private TrainingDivergedException diverged(long number, String what, String tensor) {
        return diverged(number, what, tensor, "the weights were not updated");
    }

    private TrainingDivergedException diverged(long number, String what, String tensor, String done) {
        String kept = lastCheckpoint == null
                ? "there is no checkpoint yet"
                : "the last checkpoint (step " + lastCheckpointStep + ", " + lastCheckpoint + ") is unchanged";
        return new TrainingDivergedException(number, tensor, String.format(Locale.ROOT,
                "Training diverged at step %d: %s. %s%s, and %s. "
                        + "Lower the learning rate, lengthen the warm-up or set a gradient clipping norm, and resume from the checkpoint",
                number, what, Character.toUpperCase(done.charAt(0)), done.substring(1), kept));
    }

    /** The name of the first tensor (in map order) holding a NaN or an infinity, or null. */
    private String firstNonFinite(Map<String, NDArray> tensors) {
        try (GradMode off = GradMode.off(); NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                NDArray a = e.getValue();
                scope.tempAttachAll(a);      // the checks' temporaries go to the scope, not the model
                if (a.isNaN().logicalOr(a.isInfinite()).any().getBoolean()) return e.getKey();
            }
            return null;
        }
    }

    private static String kind(NDArray a) {
        try (GradMode off = GradMode.off(); NDManager scope = a.getManager().newSubManager()) {
            scope.tempAttachAll(a);
            return a.isNaN().any().getBoolean() ? "NaN" : "infinite";
        }
    }

    /** Sets a hook run between each forward pass and its backward pass (for tests). */
    void beforeBackward(Runnable hook) { this.beforeBackward = hook; }

    private Map<String, NDArray> gradients(NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray g = gradientOf(e.getValue());
            if (g != null) {
                g.attach(scope);     // a new handle on the same gradient storage; closing it keeps the gradient
                out.put(e.getKey(), g);
            }
        }
        return out;
    }

    private static NDArray gradientOf(NDArray p) {
        try {
            return p.getGradient();
        } catch (RuntimeException e) {
            return null;    // no gradient yet (never reached by a backward pass)
        }
    }

    private void zeroGradients() {
        try (GradMode off = GradMode.off(); NDManager scope = manager.newSubManager()) {
            gradients(scope).values().forEach(Trainer::clear);
        }
    }

    /** Sets every element to 0; unlike multiplying by 0, this also clears a NaN or an infinity. */
    private static void clear(NDArray gradient) {
        gradient.set(new ai.djl.ndarray.index.NDIndex("..."), 0);
    }

    /** Stops gradient tracking on the model's weights and frees the optimiser state. */
    @Override
    public void close() {
        try (GradMode off = GradMode.off()) {
            for (NDArray p : parameters.values()) p.setRequiresGradient(false);
        } catch (RuntimeException ignored) {
            // the model was closed first: nothing left to detach
        }
        optimizer.close();
        manager.close();
    }
}
