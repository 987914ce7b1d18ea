package org.layerwise.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.checkpoint.Checkpoint;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.tokenizer.Encoding;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A recurrent language model (TencentPretrain's lstm and gru encoders with an lm target): embedding, stacked LSTM or
 * GRU layers run by PyTorch's fused kernels ({@code torch::lstm} / {@code torch::gru} through DJL, the same kernels
 * torch.nn.LSTM runs, cuDNN on a GPU), LM head. Causal by construction: position t sees tokens up to t, so padding on
 * the right never changes a real position (left padding would, and is refused). No final LayerNorm: TencentPretrain's
 * RNN encoder has none, and {@link RecurrentSpec#embeddingNorm()} covers its embedding LayerNorm.
 *
 * <p>Saved as a folder: config.json ({@code model_type} {@value RecurrentSpec#MODEL_TYPE}), model.safetensors with
 * torch.nn.LSTM/GRU's weight names under {@code rnn.}, and the tokenizer files. Loading checks every tensor's presence
 * and shape before anything is read. Every pass works in a sub-manager that is closed when it returns.
 */
public final class RecurrentModel implements TokenModel, LanguageModel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecurrentSpec spec;
    private final TextTokenizer tokenizer;
    private final Path directory;
    private final String name;
    private final Device device;
    private final DataType dtype;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Norm embeddingNorm;
    private volatile boolean closed;

    private RecurrentModel(RecurrentSpec spec, Map<String, NDArray> params, NDManager manager, DataType dtype,
                           TextTokenizer tokenizer, Path directory) {
        this.spec = spec;
        this.params = params;
        this.manager = manager;
        this.device = manager.getDevice();
        this.dtype = dtype;
        this.tokenizer = tokenizer;
        this.directory = directory;
        this.name = directory != null && directory.getFileName() != null ? directory.getFileName().toString() : spec.cell().word();
        this.embeddingNorm = spec.embeddingNorm()
                ? new Norm(TransformerSpec.NormKind.LAYER, params.get("embed_norm.weight"), params.get("embed_norm.bias"), spec.normEps())
                : null;
    }

    // ---------------------------------------------------------------- construction

    /**
     * A model with seeded random weights, initialised as torch initialises nn.LSTM/GRU: every recurrent weight and bias
     * uniform in ±1/√hidden. The embeddings and an untied LM head are N(0, initStd²) (a tied head is the embedding);
     * the embedding LayerNorm starts at weight 1, bias 0; an LM-head bias at 0.
     *
     * @param tokenizer may be null (then the model neither generates nor saves tokenizer files)
     * @param directory where the tokenizer files live (copied on save); may be null
     */
    public static RecurrentModel create(RecurrentSpec spec, long seed, double initStd, TextTokenizer tokenizer,
                                        LoadOptions options, Path directory) {
        if (!(initStd > 0)) throw new IllegalArgumentException("initStd must be positive, got " + initStd);
        DataType type = options.resolveType(DataType.FLOAT32);
        NDManager owner = NDManager.newBaseManager(options.resolveDevice());
        try {
            owner.getEngine().setRandomSeed((int) seed);
            float bound = (float) (1 / Math.sqrt(spec.hidden()));
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : spec.shapes().entrySet()) {
                String n = e.getKey();
                Shape s = e.getValue();
                NDArray a;
                if (n.startsWith("rnn.")) a = owner.randomUniform(-bound, bound, s, DataType.FLOAT32);
                else if (n.equals("embed_norm.weight")) a = owner.ones(s, DataType.FLOAT32);
                else if (n.endsWith(".bias")) a = owner.zeros(s, DataType.FLOAT32);
                else a = owner.randomNormal(0f, (float) initStd, s, DataType.FLOAT32);
                params.put(n, typed(a, n, type));
            }
            return new RecurrentModel(spec, params, owner, type, tokenizer, directory);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /** Norm weights stay float32 (as the transformer keeps them); the rest takes the model's dtype. */
    private static NDArray typed(NDArray a, String name, DataType type) {
        return name.startsWith("embed_norm.") ? a : a.toType(type, false);
    }

    /**
     * Opens a folder written by {@link #save} (or by a Python user: config.json of model_type
     * {@value RecurrentSpec#MODEL_TYPE} and model.safetensors with the {@link RecurrentSpec#shapes()} names). Every
     * tensor is checked for presence and shape first; the tokenizer is opened when the folder has tokenizer.json. On
     * any failure nothing stays loaded.
     */
    public static RecurrentModel load(Path dir, LoadOptions options) throws CheckpointException {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Path configFile = dir.resolve(Checkpoint.CONFIG_FILE);
            RecurrentSpec spec;
            try {
                spec = RecurrentSpec.fromConfig(checkpoint.config());
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(configFile + ": " + e.getMessage(), e);
            }
            checkpoint.requireTensors(spec.shapes(), spec.describe());
            DataType type = options.resolveType(checkpoint.tensors().get("embed.weight").dtype().dataType());
            TextTokenizer tokenizer = checkpoint.hasTokenizer() ? HfTokenizer.load(dir) : null;
            NDManager owner = NDManager.newBaseManager(options.resolveDevice());
            try {
                Map<String, NDArray> params = new LinkedHashMap<>();
                for (String n : spec.shapes().keySet())
                    params.put(n, checkpoint.load(n, owner, n.startsWith("embed_norm.") ? DataType.FLOAT32 : type));
                return new RecurrentModel(spec, params, owner, type, tokenizer, dir);
            } catch (CheckpointException | RuntimeException | Error e) {
                owner.close();
                if (tokenizer != null) tokenizer.close();
                throw e;
            }
        }
    }

    /** Whether {@code dir}'s config.json names this model type (a cheap look before choosing a loader). */
    public static boolean isRecurrentFolder(Path dir) {
        return RecurrentSpec.MODEL_TYPE.equals(ModelFolder.modelType(dir));
    }

    @Override
    public void save(Path dir) throws CheckpointException {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        ModelFolder.save(name, dir, file -> SafetensorsWriter.write(file, params, Map.of("format", "pt")),
                JSON.valueToTree(spec.toConfig(LoadOptions.dtypeName(dtype))), directory);
    }

    // ---------------------------------------------------------------- forward

    /** The last layer's outputs; the mask only has to be right padding, and segments are ignored (no segment embedding). */
    @Override
    public NDArray hidden(NDManager scope, NDArray ids, NDArray mask, NDArray segments) {
        try (NDManager inner = manager.newSubManager()) {
            NDArray tokens = local(ids, inner);
            if (mask != null) requireRightPadding(local(mask, inner), tokens.getShape());
            NDArray h = run(inner, tokens, 0, null).get(0);
            h.attach(scope);
            return h;
        }
    }

    @Override
    public NDArray logits(NDManager scope, NDArray hidden) {
        Shape s = hidden.getShape();
        if (s.dimension() == 0 || s.get(s.dimension() - 1) != spec.hidden())
            throw new IllegalArgumentException("hidden states " + s + " must end in the model width " + spec.hidden());
        try (NDManager inner = manager.newSubManager()) {
            NDArray x = hidden.toDevice(device, true);
            x.attach(inner);
            NDArray logits = head(x.toType(dtype, false)).toType(DataType.FLOAT32, true);
            logits.attach(scope);
            return logits;
        }
    }

    /** Logits [B, T, V] in float32 for token ids [B, T]. */
    public NDArray forward(NDManager scope, NDArray ids) {
        try (NDManager inner = manager.newSubManager()) {
            NDArray logits = head(run(inner, local(ids, inner), 0, null).get(0)).toType(DataType.FLOAT32, true);
            logits.attach(scope);
            return logits;
        }
    }

    private NDArray head(NDArray h) {
        NDArray w = spec.tiedEmbeddings() ? params.get("embed.weight") : params.get("lm_head.weight");
        return Attention.linear(h, w, params.get("lm_head.bias"));
    }

    /**
     * The recurrent stack over tokens [B, T] whose first position is {@code offset}, starting from {@code state}
     * (null: zeros). Returns (outputs [B, T, hidden], h [layers, B, hidden], and c for an LSTM), owned by {@code scope}.
     */
    private NDList run(NDManager scope, NDArray tokens, int offset, NDList state) {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        Shape s = tokens.getShape();
        if (s.dimension() != 2 || s.get(1) == 0) throw new IllegalArgumentException("token ids must be [batch, tokens] with tokens > 0, got " + s);
        long b = s.get(0), t = s.get(1);
        if (spec.learnedPositions() && offset + t > spec.maxPositions())
            throw new IllegalArgumentException(offset + t + " tokens exceed the model's " + spec.maxPositions() + " learned positions");
        long lo = tokens.min().getLong(), hi = tokens.max().getLong();
        if (lo < 0 || hi >= spec.vocabSize())
            throw new IllegalArgumentException("token id " + (lo < 0 ? lo : hi) + " is outside the vocabulary of " + spec.vocabSize());
        NDArray x = Embedding.embedding(tokens, params.get("embed.weight"), SparseFormat.DENSE).singletonOrThrow();
        if (spec.learnedPositions()) {
            NDArray positions = scope.arange(offset, offset + (int) t, 1, DataType.INT64).reshape(1, t);
            x = x.add(Embedding.embedding(positions, params.get("pos_embed.weight"), SparseFormat.DENSE).singletonOrThrow());
        }
        if (embeddingNorm != null) x = embeddingNorm.apply(x);
        if (state == null) {
            Shape hs = new Shape(spec.layers(), b, spec.hidden());
            state = spec.cell() == RecurrentSpec.Cell.LSTM
                    ? new NDList(scope.zeros(hs, dtype), scope.zeros(hs, dtype)) : new NDList(scope.zeros(hs, dtype));
        }
        NDList weights = new NDList();
        for (int l = 0; l < spec.layers(); l++)          // torch's flat order: w_ih, w_hh, b_ih, b_hh per layer
            weights.addAll(new NDList(params.get(RecurrentSpec.weightIh(l)), params.get(RecurrentSpec.weightHh(l)),
                    params.get(RecurrentSpec.biasIh(l)), params.get(RecurrentSpec.biasHh(l))));
        // train = autograd on: cuDNN keeps what backward needs only in training mode (no dropout either way)
        boolean train = GradMode.isEnabled();
        NDList out = spec.cell() == RecurrentSpec.Cell.LSTM
                ? x.getNDArrayInternal().lstm(x, state, weights, true, spec.layers(), 0.0, train, false, true)
                : x.getNDArrayInternal().gru(x, state.get(0), weights, true, spec.layers(), 0.0, train, false, true);
        out.attach(scope);
        return out;
    }

    /** A recurrent pass reads padding before a real token, so only right padding (mask 1…1 0…0) is allowed. */
    private static void requireRightPadding(NDArray mask, Shape idsShape) {
        if (!mask.getShape().equals(idsShape))
            throw new IllegalArgumentException("attention mask " + mask.getShape() + " must match the token ids " + idsShape);
        if (mask.getShape().get(1) > 1 && mask.get(":, 1:").gt(mask.get(":, :-1")).any().getBoolean())
            throw new IllegalArgumentException("a recurrent model needs padding on the right (mask 1…1 0…0): a padding token "
                    + "before a real one would change the real token's state");
    }

    /** A copy of a caller's integer array, as int64 on the model's device, owned by {@code scope}. */
    private NDArray local(NDArray a, NDManager scope) {
        NDArray copy = a.toType(DataType.INT64, true);
        copy.attach(scope);
        return copy.toDevice(device, false);
    }

    private NDArray idsArray(NDManager m, int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        NDArray wrapped = m.create(l, new Shape(1, ids.length));
        NDArray owned = wrapped.duplicate();          // owned by PyTorch, not by the Java buffer
        wrapped.close();
        return owned.toDevice(device, false);
    }

    // ---------------------------------------------------------------- as a language model (playground)

    @Override
    public List<TokenProbability> nextTokens(String prompt, int k) {
        int[] ids = promptIds(prompt);
        List<TokenProbability> out = new ArrayList<>();
        try (GradMode off = GradMode.off(); NDManager scope = manager.newSubManager()) {
            NDArray h = run(scope, idsArray(scope, ids), 0, null).get(0).get(0, ids.length - 1);
            NDArray probs = head(h).toType(DataType.FLOAT32, false).softmax(0).get(":" + decodable());
            var top = probs.topK(Math.min(k, decodable()), 0);
            float[] p = top.get(0).toFloatArray();
            long[] id = top.get(1).toLongArray();
            for (int i = 0; i < p.length; i++)
                out.add(new TokenProbability((int) id[i], tokenizer.decode(new int[] {(int) id[i]}), p[i]));
        }
        return out;
    }

    /**
     * Generates after {@code prompt}, carrying the recurrent state: each step feeds only the new token. Stops at a stop
     * string (text cut before it), at max tokens, at the last learned position, or when the thread is interrupted.
     */
    @Override
    public Generation generate(String prompt, GenerationConfig config, Consumer<String> onToken) {
        int[] promptIds = promptIds(prompt);
        long start = System.nanoTime();
        Sampler sampler = new Sampler(config.temperature(), config.topK(), config.topP(), config.seed());
        TextStream generated = new TextStream(tokenizer, config.stopStrings(), onToken);
        String reason = "length";
        try (GradMode off = GradMode.off(); NDManager held = manager.newSubManager()) {
            NDList state = null;
            int[] feed = promptIds;
            int position = 0;
            while (generated.size() < config.maxNewTokens()) {
                if (Thread.currentThread().isInterrupted()) { reason = "cancelled"; break; }
                if (spec.learnedPositions() && position + feed.length > spec.maxPositions()) break;
                int next;
                try (NDManager step = manager.newSubManager()) {
                    NDList out = run(step, idsArray(step, feed), position, state);
                    next = sampler.next(head(out.get(0).get(0, feed.length - 1)).toType(DataType.FLOAT32, false).get(":" + decodable()));
                    NDList kept = out.subNDList(1);
                    kept.attach(held);
                    if (state != null) state.close();
                    state = kept;
                }
                position += feed.length;
                if (generated.add(next)) { reason = "stop"; break; }
                feed = new int[] {next};
            }
        }
        return generated.finish(reason, promptIds.length, start);
    }

    private int[] promptIds(String prompt) {
        if (tokenizer == null) throw new IllegalStateException("Model " + name + " has no tokenizer.json, so it cannot read a prompt");
        Encoding e = tokenizer instanceof HfTokenizer hf ? hf.encode(prompt, true) : tokenizer.encode(prompt);
        if (e.ids().length == 0) throw new IllegalArgumentException("The prompt \"" + prompt + "\" has no tokens");
        return e.ids();
    }

    private int decodable() {
        return tokenizer == null ? spec.vocabSize() : Math.min(spec.vocabSize(), tokenizer.vocabularySize());
    }

    // ---------------------------------------------------------------- description

    public RecurrentSpec spec() { return spec; }

    @Override public boolean bidirectional() { return false; }

    @Override public int vocabSize() { return spec.vocabSize(); }

    @Override public int width() { return spec.hidden(); }

    /** The learned position table's length; without one, any length runs (this bounds what a caller feeds at once). */
    @Override public int maxPositions() { return spec.maxPositions(); }

    @Override public Map<String, NDArray> parameters() { return Collections.unmodifiableMap(params); }

    @Override public DataType dataType() { return dtype; }

    @Override public Device djlDevice() { return device; }

    @Override public String name() { return name; }

    @Override public Path directory() { return directory; }

    @Override public String summary() { return spec.describe(); }

    @Override public long parameterCount() { return spec.parameterCount(); }

    @Override public String dtype() { return LoadOptions.dtypeName(dtype); }

    @Override public String device() { return MemoryEstimate.deviceName(device); }

    @Override
    public long weightBytes() {
        long n = 0;
        for (NDArray a : params.values()) n += a.getShape().size() * a.getDataType().getNumOfBytes();
        return n;
    }

    @Override public TextTokenizer tokenizer() { return tokenizer; }

    /** Arrays the model's manager holds (weights and anything a pass left behind): for leak tests. */
    int managedArrays() { return manager.getManagedArrays().size(); }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        manager.close();
        if (tokenizer != null) tokenizer.close();
    }

    @Override
    public String toString() {
        return name + " (" + summary() + ", " + parameterCount() + " parameters, " + dtype() + ", " + device() + ")";
    }
}
