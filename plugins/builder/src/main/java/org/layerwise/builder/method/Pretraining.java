package org.layerwise.builder.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.EncoderDecoderModel;
import org.layerwise.engine.model.InsufficientMemoryException;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TrainableModel;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.RecurrentModel;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.train.AdamW;
import org.layerwise.engine.train.Evaluation;
import org.layerwise.engine.train.LearningRateSchedule;
import org.layerwise.engine.train.TrainingObjective;
import org.layerwise.engine.train.Optimizer;
import org.layerwise.engine.train.Seq2SeqObjective;
import org.layerwise.engine.train.Sgd;
import org.layerwise.engine.train.TokenBatch;
import org.layerwise.engine.train.TokenDataset;
import org.layerwise.engine.train.Trainer;
import org.layerwise.engine.train.TrainingCheckpoint;
import org.layerwise.engine.train.TrainingExample;
import org.layerwise.engine.train.TrainingOptions;
import org.layerwise.engine.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Pretrains a composed model on a text corpus as a job (target lm for causal models, mlm for bidirectional
 * encoders, sequence-to-sequence cross entropy for encoder-decoders ({@link Seq2SeqExamples}), cls and sp with
 * their heads, or several targets at once, see {@link TargetObjectives}; the cls and sp
 * corpus formats are {@link TargetExamples}'): for lm and mlm each non-blank line of the corpus is one training
 * sequence (tokenised as the engine tokenises prompts, special tokens included; cut at max_seq_length); a
 * seeded {@code eval_fraction} of the lines is held out. The model starts from seeded random weights, trains
 * with the config's optimiser and schedule, checkpoints to {@code <out>.checkpoint} (resumable), and is saved
 * to {@code out} as a Hugging Face folder (config.json, model.safetensors, tokenizer.json and the builder
 * config {@value #CONFIG_FILE}) in one atomic step at the end. Cancelling keeps the last checkpoint and leaves
 * {@code out} untouched.
 */
public final class Pretraining {
    /** The builder config saved beside the model. */
    public static final String CONFIG_FILE = "layerwise-builder.json";

    /**
     * @param tokenizer a tokenizer.json file or a folder holding one
     * @param resume    continue from {@code <out>.checkpoint} when it exists
     */
    public record Request(ModelConfig config, Path corpus, Path tokenizer, Path out, boolean resume, LoadOptions.DeviceChoice device) {}

    public record Result(Path modelDir, long steps, double lastLoss, Evaluation evaluation, long parameters) {}

    private Pretraining() {}

    /** Where the resumable checkpoint of a run writing {@code out} lives. */
    public static Path checkpointDir(Path out) {
        return out.resolveSibling(out.getFileName() + ".checkpoint");
    }

    /** Parameters the job records with its run. */
    public static Map<String, Object> runParameters(Request r) {
        return Map.of("config", r.config().json().toString(), "corpus", r.corpus().toString(),
                "tokenizer", r.tokenizer().toString(), "out", r.out().toString());
    }

    public static Job<Result> job(Request request) {
        return ctx -> run(request, ctx);
    }

    public static Result run(Request r, JobContext ctx) throws Exception {
        ModelConfig c = r.config().validated();
        List<String> blocked = EngineMapping.trainingProblems(c);
        if (!blocked.isEmpty()) throw new NotTrainableException(blocked);
        if (!Files.isRegularFile(r.corpus())) throw new IllegalArgumentException("Corpus " + r.corpus() + " is not a file");
        Path stage = stageTokenizer(r.tokenizer(), c);
        try {
            return train(r, c, stage, ctx);
        } finally {
            AtomicFiles.deleteTree(stage);
        }
    }

    private static Result train(Request r, ModelConfig c, Path stage, JobContext ctx) throws Exception {
        long seed = c.integer("seed");
        Path checkpoint = checkpointDir(r.out());
        boolean resuming = r.resume() && TrainingCheckpoint.exists(checkpoint);
        try (HfTokenizer tokenizer = HfTokenizer.load(stage);
             NDManager m = NDManager.newBaseManager()) {
            int vocab = tokenizer.vocabularySize();
            if (c.integer("vocab_size") > 0 && c.integer("vocab_size") < vocab)
                throw new IllegalArgumentException("vocab_size " + c.integer("vocab_size") + " is smaller than the tokenizer's "
                        + vocab + " tokens; set vocab_size to 0 (use the tokenizer's) or at least " + vocab);
            List<TrainingExample> lines = examples(c, r.corpus(), tokenizer);
            if (c.list("target").contains("cls")) TargetExamples.saveLabels(r.corpus(), c.integer("labels_num"), stage);
            int heldCount = (int) Math.round(lines.size() * c.number("eval_fraction"));
            if (c.number("eval_fraction") > 0 && lines.size() >= 2) heldCount = Math.max(1, heldCount);
            Collections.shuffle(lines, new Random(seed));
            int maxLen = c.integer("max_seq_length");
            TokenDataset held = heldCount == 0 ? null : TokenDataset.ofExamples(lines.subList(0, heldCount), maxLen, c.integer("batch_size"), seed);
            TokenDataset train = TokenDataset.ofExamples(lines.subList(heldCount, lines.size()), maxLen, c.integer("batch_size"), seed);
            if (ctx != null) ctx.log(String.format(Locale.ROOT, "corpus: %d training and %d held-out sequences", train.size(), heldCount));

            // the builder config travels in the model's folder, so checkpoints and the saved model carry it
            Files.writeString(stage.resolve(CONFIG_FILE), c.toJson());
            TrainableModel model;
            if (resuming) {
                model = loadModel(TrainingCheckpoint.modelDirectory(checkpoint), r.device());
                Files.writeString(TrainingCheckpoint.modelDirectory(checkpoint).resolve(CONFIG_FILE), c.toJson());
            } else {
                model = newModel(c, vocab, tokenizer, stage, m, r.device());
            }
            try (Trainer<TokenBatch> trainer = new Trainer<>(model, objective(c, model, tokenizer), optimizer(c, m), options(c), seed)) {
                if (resuming) {
                    trainer.resume(checkpoint);
                    if (ctx != null) ctx.log("resuming from step " + trainer.completedSteps() + " (" + checkpoint + ")");
                }
                if (ctx != null) ctx.log(describe(model) + ", " + model.parameterCount() + " parameters");
                TrainingResult result = trainer.run(train, held == null ? List.of() : held.evaluationBatches(), checkpoint, ctx);
                if (ctx != null) ctx.progress(Double.NaN, "saving " + r.out());
                model.save(r.out());
                double last = trainer.losses().isEmpty() ? Double.NaN : trainer.losses().get(trainer.losses().size() - 1);
                return new Result(r.out(), result.completedSteps(), last, result.lastEvaluation(), model.parameterCount());
            } finally {
                model.close();
            }
        }
    }

    /** One line on the model for the job's log. */
    private static String describe(TrainableModel model) {
        if (model instanceof org.layerwise.engine.train.WithTargetHeads w) return describe(w.model()) + " with " + w.headTargets() + " heads";
        if (model instanceof RecurrentModel rnn) return rnn.spec().describe();
        if (model instanceof EncoderDecoderModel e) return e.spec().describe();
        return model instanceof TransformerModel t ? t.spec().describe() : model.name();
    }

    /** The training examples of the corpus, in the form the config's targets need. */
    static List<TrainingExample> examples(ModelConfig c, Path corpus, HfTokenizer tokenizer) throws IOException {
        if (c.decoderPresent()) return Seq2SeqExamples.of(c, corpus, tokenizer);
        if (c.list("target").contains("sp")) return TargetExamples.sentencePairs(corpus, tokenizer, c.integer("max_seq_length"), c.integer("seed"));
        if (c.list("target").contains("cls")) return TargetExamples.classification(corpus, tokenizer, c.integer("labels_num"));
        return encodeLines(corpus, tokenizer);
    }

    /** A saved or checkpointed model of any kind the builder makes, in float32 for training. */
    static TrainableModel loadModel(Path dir, LoadOptions.DeviceChoice device) throws CheckpointException, InsufficientMemoryException {
        LoadOptions options = new LoadOptions(device, LoadOptions.DtypeChoice.FLOAT32);
        if (EncoderDecoderModel.isEncoderDecoderFolder(dir)) return EncoderDecoderModel.load(dir, options);
        TrainableModel model = RecurrentModel.isRecurrentFolder(dir) ? RecurrentModel.load(dir, options) : TransformerModel.load(dir, options);
        return TargetObjectives.withSavedHeads(dir, model);
    }

    /** A fresh model of the config with seeded random weights; its folder (tokenizer, config) is the stage. */
    static TrainableModel newModel(ModelConfig c, int vocab, HfTokenizer tokenizer, Path stage, NDManager m,
                                   LoadOptions.DeviceChoice device) throws CheckpointException {
        if (c.decoderPresent()) return EncoderDecoderMapping.newModel(c, vocab, tokenizer, stage, m, device);
        TrainableModel model = c.recurrent() ? RecurrentMapping.newModel(c, vocab, stage, device)
                : newTransformer(c, vocab, stage, m, device);
        return TargetObjectives.withHeads(c, model);
    }

    /** A fresh transformer of the config's spec with seeded random weights. */
    static TransformerModel newTransformer(ModelConfig c, int vocab, Path stage, NDManager m, LoadOptions.DeviceChoice device)
            throws CheckpointException {
        TransformerSpec spec = EngineMapping.toSpec(c, vocab);
        try (NDManager scope = m.newSubManager()) {
            Map<String, NDArray> weights = RandomWeights.create(spec, scope, c.integer("seed"), (float) c.number("init_std"));
            return TransformerModel.create(spec, weights, HfTokenizer.load(stage),
                    new LoadOptions(device, LoadOptions.DtypeChoice.FLOAT32), null, stage);
        }
    }

    /** The target given the source for an encoder-decoder; else the objective of the config's targets ({@link TargetObjectives}). */
    static TrainingObjective<TokenBatch> objective(ModelConfig c, TrainableModel trainable, HfTokenizer tokenizer) {
        if (trainable instanceof EncoderDecoderModel e) return new Seq2SeqObjective(e);
        return TargetObjectives.of(c, trainable, tokenizer);
    }

    /** The id of the config's mask_token, which the tokenizer must read as one token. */
    static int maskTokenId(ModelConfig c, HfTokenizer tokenizer) {
        String token = c.text("mask_token");
        int id = SpecialTokens.id(tokenizer, token);
        if (id < 0) throw new IllegalArgumentException("The tokenizer has no single token '" + token + "' to mask with; set mask_token to one it has");
        return id;
    }

    static Optimizer optimizer(ModelConfig c, NDManager m) {
        return c.text("optimizer").equals("sgd")
                ? new Sgd(m, c.number("momentum"), c.number("weight_decay"))
                : new AdamW(m, c.number("beta1"), c.number("beta2"), 1e-8, c.number("weight_decay"), true);
    }

    static TrainingOptions options(ModelConfig c) {
        long steps = c.integer("total_steps");
        LearningRateSchedule.Decay decay = LearningRateSchedule.Decay.valueOf(c.text("decay").toUpperCase(Locale.ROOT));
        LearningRateSchedule schedule = new LearningRateSchedule(c.number("learning_rate"), c.integer("warmup_steps"), steps,
                decay, decay == LearningRateSchedule.Decay.CONSTANT ? c.number("learning_rate") : c.number("min_learning_rate"));
        return new TrainingOptions(steps, c.integer("accumulation"), c.number("clip_norm"), schedule,
                c.integer("eval_every"), c.integer("checkpoint_every"));
    }

    /** Every non-blank line, tokenised with special tokens as the engine tokenises prompts; lines under 2 tokens are dropped. */
    static List<TrainingExample> encodeLines(Path corpus, HfTokenizer tokenizer) throws IOException {
        List<TrainingExample> out = new ArrayList<>();
        for (String line : Files.readAllLines(corpus)) {
            if (line.isBlank()) continue;
            int[] ids = tokenizer.encode(line.strip(), true).ids();
            if (ids.length >= 2) out.add(TrainingExample.of(ids));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("The corpus " + corpus + " has no line of 2 or more tokens to train on");
        return out;
    }

    /** A fresh folder holding only the tokenizer files (they are copied into the saved model). */
    private static Path stageTokenizer(Path tokenizer, ModelConfig c) throws IOException {
        Path source = Files.isDirectory(tokenizer) ? tokenizer.resolve(HfTokenizer.FILE_NAME) : tokenizer;
        if (!Files.isRegularFile(source))
            throw new IllegalArgumentException("No tokenizer at " + tokenizer + ": give a tokenizer.json file or a folder holding one");
        Path stage = Files.createTempDirectory("layerwise-pretrain");
        Files.copy(source, stage.resolve(HfTokenizer.FILE_NAME));
        Path dir = source.getParent();
        for (String extra : List.of("tokenizer_config.json", "special_tokens_map.json")) {
            if (dir != null && Files.isRegularFile(dir.resolve(extra))) Files.copy(dir.resolve(extra), stage.resolve(extra));
        }
        return stage;
    }
}
