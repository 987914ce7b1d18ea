package org.layerwise.modelselect.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.train.AdamW;
import org.layerwise.engine.train.LearningRateSchedule;
import org.layerwise.engine.train.Trainer;
import org.layerwise.engine.train.TrainingOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real fine-tuning of local language models on one labelled data set, one epoch at a time (an
 * {@link EpochRunner}): each model is loaded in float32 on first use and keeps its weights and AdamW state
 * between epochs until released. An epoch is one pass over the training items in a seeded order (batches of
 * {@link Settings#batchSize}); validation and test accuracy compare the label words' log-likelihoods after
 * the prompt ({@link TransformerModel#scoreContinuations}) and count the argmax hits.
 */
public final class FineTuning implements EpochRunner, AutoCloseable {
    public record Settings(double learningRate, int batchSize, double weightDecay, long seed) {
        public static Settings defaults() { return new Settings(3e-3, 8, 0.01, 17); }
    }

    /** The loss became NaN or infinite: the weights are spoiled; start again with a lower learning rate. */
    public static final class DivergedException extends IllegalStateException {
        DivergedException(String message) { super(message); }
    }

    private final class State {
        final TransformerModel model;
        final NDManager manager;
        final Trainer<LabelWordObjective.Batch> trainer;
        int epochs;

        final double rate;

        State(Path dir, double rate) throws Exception {
            this.rate = rate;
            model = TransformerModel.load(dir, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
            manager = NDManager.newBaseManager(model.djlDevice());
            long steps = 1_000_000;           // the schedule is constant: the step budget only bounds the trainer
            TrainingOptions options = new TrainingOptions(steps, 1, 1.0,
                    new LearningRateSchedule(rate, 0, steps, LearningRateSchedule.Decay.CONSTANT, rate), 0, 0);
            trainer = new Trainer<>(model, new LabelWordObjective(model),
                    new AdamW(manager, 0.9, 0.999, 1e-8, settings.weightDecay(), true), options, settings.seed());
        }

        void close() {
            trainer.close();
            manager.close();
            model.close();
        }
    }

    private final Map<String, Path> models;
    private final LabelledData data;
    private final Settings settings;
    private final int finalEpoch;
    private final JobContext ctx;
    private final Map<String, State> live = new HashMap<>();
    private final Map<String, Double> testAccuracy = new LinkedHashMap<>();
    private double seconds;
    private int replayed;

    /**
     * @param models     model name → folder
     * @param finalEpoch the last epoch of the full schedule: test accuracy is measured when a model reaches it
     */
    public FineTuning(Map<String, Path> models, LabelledData data, Settings settings, int finalEpoch, JobContext ctx) {
        this.models = models;
        this.finalEpoch = finalEpoch;
        this.data = data;
        this.settings = settings;
        this.ctx = ctx;
    }

    @Override
    public double nextEpoch(String name) throws Exception {
        long start = System.nanoTime();
        State s = live.get(name);
        if (s == null) {
            s = new State(folder(name), settings.learningRate());
            live.put(name, s);
        }
        try {
            trainEpoch(name, s);
        } catch (DivergedException e) {
            // a rare NaN spoils the weights: start this model again at half the rate and replay its epochs
            int done = s.epochs;
            double rate = s.rate / 2;
            release(name);
            if (rate < settings.learningRate() / 8) throw e;
            if (ctx != null) ctx.log(e.getMessage() + "; restarting " + name + " at learning rate " + rate + " and replaying " + done + " epochs");
            s = new State(folder(name), rate);
            live.put(name, s);
            for (int k = 0; k <= done; k++) trainEpoch(name, s);
            replayed += done;
        }
        double val = accuracy(s.model, data, data.validation());
        if (s.epochs == finalEpoch) testAccuracy.put(name, accuracy(s.model, data, data.test()));
        seconds += (System.nanoTime() - start) / 1e9;
        return val;
    }

    private Path folder(String name) {
        Path dir = models.get(name);
        if (dir == null) throw new IllegalArgumentException("No model folder for '" + name + "'");
        return dir;
    }

    private void trainEpoch(String name, State s) {
        List<LabelledData.Item> order = new ArrayList<>(data.train());
        Collections.shuffle(order, new Random(settings.seed() * 1000 + s.epochs));
        for (int from = 0; from < order.size(); from += settings.batchSize()) {
            if (ctx != null) ctx.checkCancelled();
            List<LabelledData.Item> items = order.subList(from, Math.min(order.size(), from + settings.batchSize()));
            double loss = s.trainer.step(List.of(LabelWordObjective.batch(s.model, items, data))).loss();
            if (!Double.isFinite(loss))
                throw new DivergedException("Fine-tuning " + name + " on " + data.name() + " diverged (loss " + loss + ") in epoch " + (s.epochs + 1));
        }
        s.epochs++;
    }

    /** Extra epochs spent replaying models restarted after a divergence (not counted by the caller). */
    public int replayedEpochs() { return replayed; }

    /** Test accuracy of {@code name} after the final epoch (brute force's ground truth), or null before. */
    public Double testAccuracy(String name) { return testAccuracy.get(name); }

    public Map<String, Double> testAccuracies() { return Collections.unmodifiableMap(testAccuracy); }

    /** Wall time spent fine-tuning and evaluating. */
    public double seconds() { return seconds; }

    @Override
    public void release(String name) {
        State s = live.remove(name);
        if (s != null) s.close();
    }

    @Override
    public void close() {
        new ArrayList<>(live.keySet()).forEach(this::release);
    }

    /** Share of items whose own label word has the highest log-likelihood among the data set's label words. */
    public static double accuracy(TransformerModel model, LabelledData data, List<LabelledData.Item> items) {
        List<String> words = data.continuations();
        int hits = 0;
        for (LabelledData.Item it : items) {
            double[] lp = model.continuationLogProbs(it.text(), words);
            int best = 0;
            for (int k = 1; k < lp.length; k++) if (lp[k] > lp[best]) best = k;
            if (best == it.label()) hits++;
        }
        return (double) hits / items.size();
    }

    /**
     * LEEP of a language model on a target data set. A language model has no classifier head, so its "source
     * labels" are a fixed set of source tokens: the first token of each benchmark label word (" Europe", " yes",
     * " science", …: what the repository's source tasks answer with). θ(x) is the softmax of the next-token logits
     * after the prompt restricted to those tokens, on the target's training items. The full vocabulary would also
     * be a valid label space, but with a few hundred items and thousands of tokens P̂(y | z) overfits and LEEP
     * drifts to 0 for every model; a few dozen source labels keep it informative.
     */
    public static double leep(Path modelDir, LabelledData target, List<String> sourceWords) throws Exception {
        try (TransformerModel model = TransformerModel.load(modelDir, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
             GradMode off = GradMode.off();
             NDManager m = NDManager.newBaseManager(model.djlDevice())) {
            java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
            for (String w : sourceWords) ids.add(model.encode(" " + w.strip()).ids()[0]);
            if (ids.size() < 2) throw new IllegalArgumentException("LEEP needs at least 2 distinct source tokens, got " + ids.size() + " from " + sourceWords);
            // [S, V] selector: one row per source token, so selector · logits picks their logits unambiguously
            NDArray selector = m.create(ids.stream().mapToLong(Integer::longValue).toArray())
                    .oneHot((int) model.spec().vocabSize()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            List<LabelledData.Item> items = target.train();
            NDArray[] rows = new NDArray[items.size()];
            int[] labels = new int[items.size()];
            for (int i = 0; i < items.size(); i++) {
                int[] prompt = model.encode(items.get(i).text()).ids();
                NDArray logits = model.forward(m, prompt, Taps.none());                 // [T, V]
                rows[i] = selector.matMul(logits.get(prompt.length - 1).reshape(-1, 1)).reshape(-1).softmax(0);
                labels[i] = items.get(i).label();
            }
            NDArray theta = ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(rows));
            return Leep.score(theta, labels, target.labels().size());
        }
    }
}
