package org.layerwise.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.checkpoint.Checkpoint;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An encoder-decoder transformer as T5 builds it (Raffel et al., 2020): a word embedding shared by both stacks; encoder
 * blocks of bidirectional self-attention and a feed-forward network; decoder blocks of causal self-attention,
 * cross-attention over the encoder's output and a feed-forward network; every sub-layer pre-normed (RMS norm) with a
 * residual around it; a final norm per stack; relative position bias computed in block 0 and shared by the blocks of a
 * stack; no 1/√d_kv scaling of attention scores; an LM head tied to the embedding with the decoder output rescaled
 * by d_model^-0.5. The options of {@link EncoderDecoderSpec} cover the builder's other choices.
 *
 * <p>Parameters carry their Hugging Face T5 names (shared.weight, encoder.block.0.layer.0.SelfAttention.q.weight, ...),
 * which is also how they are saved. Norms, attention scores and softmax run in float32; logits are float32. Every
 * pass works in a sub-manager that is closed when it returns; results are attached to the caller's manager.
 */
public final class EncoderDecoderModel implements TrainableModel {
    /** Masked attention scores: large and finite, so a row with every key masked gives no NaN. */
    private static final float MASKED = -1e9f;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EncoderDecoderSpec spec;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final DataType dtype;
    private final Device device;
    private final TextTokenizer tokenizer;
    private final Path directory;
    private final String name;
    private final EncoderLayer[] encoder;
    private final DecoderLayer[] decoder;
    private final Norm encoderNorm, decoderNorm;
    private volatile boolean closed;

    private record EncoderLayer(Norm attentionNorm, CrossAttention attention, Norm feedForwardNorm, Mlp feedForward) {}

    private record DecoderLayer(Norm selfNorm, CrossAttention self, Norm crossNorm, CrossAttention cross,
                                Norm feedForwardNorm, Mlp feedForward) {}

    private EncoderDecoderModel(EncoderDecoderSpec spec, Map<String, NDArray> params, NDManager manager, DataType dtype,
                                TextTokenizer tokenizer, Path directory) {
        this.spec = spec;
        this.params = params;
        this.manager = manager;
        this.dtype = dtype;
        this.device = manager.getDevice();
        this.tokenizer = tokenizer;
        this.directory = directory;
        this.name = directory != null && directory.getFileName() != null ? directory.getFileName().toString() : spec.modelType();
        this.encoder = new EncoderLayer[spec.encoderLayers()];
        for (int i = 0; i < encoder.length; i++) {
            String b = "encoder.block." + i + ".layer.";
            encoder[i] = new EncoderLayer(norm(b + "0.layer_norm"), attention(b + "0.SelfAttention"),
                    norm(b + "1.layer_norm"), mlp(i, b + "1.DenseReluDense"));
        }
        this.decoder = new DecoderLayer[spec.decoderLayers()];
        for (int i = 0; i < decoder.length; i++) {
            String b = "decoder.block." + i + ".layer.";
            decoder[i] = new DecoderLayer(norm(b + "0.layer_norm"), attention(b + "0.SelfAttention"),
                    norm(b + "1.layer_norm"), attention(b + "1.EncDecAttention"),
                    norm(b + "2.layer_norm"), mlp(i, b + "2.DenseReluDense"));
        }
        this.encoderNorm = norm("encoder.final_layer_norm");
        this.decoderNorm = norm("decoder.final_layer_norm");
    }

    private NDArray p(String name) { return params.get(name); }

    private Norm norm(String prefix) {
        return new Norm(spec.norm(), p(prefix + ".weight"), p(prefix + ".bias"), spec.normEps());
    }

    private CrossAttention attention(String prefix) {
        return new CrossAttention(spec.heads(), spec.headDim(), p(prefix + ".q.weight"), p(prefix + ".q.bias"),
                p(prefix + ".k.weight"), p(prefix + ".k.bias"), p(prefix + ".v.weight"), p(prefix + ".v.bias"),
                p(prefix + ".o.weight"), p(prefix + ".o.bias"));
    }

    private Mlp mlp(int layer, String prefix) {
        boolean gated = spec.mlp() == TransformerSpec.MlpKind.GATED;
        String up = gated ? ".wi_1" : ".wi";
        return new Mlp(layer, spec.activation(), gated ? p(prefix + ".wi_0.weight") : null, gated ? p(prefix + ".wi_0.bias") : null,
                p(prefix + up + ".weight"), p(prefix + up + ".bias"), p(prefix + ".wo.weight"), p(prefix + ".wo.bias"));
    }

    // ---------------------------------------------------------------- construction

    /**
     * A model from weights in memory, named as {@link EncoderDecoderSpec#shapes()} names them (copied; the caller keeps
     * its arrays), in the options' dtype (KEEP: the shared embedding's) on the options' device.
     *
     * @param tokenizer may be null (then {@link #generate(String, int)} is unavailable)
     * @param directory where the tokenizer files live (copied on save); may be null
     */
    public static EncoderDecoderModel create(EncoderDecoderSpec spec, Map<String, NDArray> weights, TextTokenizer tokenizer,
                                             LoadOptions options, Path directory) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Shape> e : spec.shapes().entrySet()) {
            NDArray w = weights.get(e.getKey());
            if (w == null) problems.add("missing tensor " + e.getKey() + " " + e.getValue());
            else if (!w.getShape().equals(e.getValue()))
                problems.add("tensor " + e.getKey() + " has shape " + w.getShape() + ", the spec needs " + e.getValue());
        }
        if (!problems.isEmpty())
            throw new IllegalArgumentException("Weights do not fit the " + spec.describe() + " spec: " + String.join("; ", problems));
        DataType type = options.resolveType(weights.get("shared.weight").getDataType());
        NDManager owner = NDManager.newBaseManager(options.resolveDevice());
        try {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (String n : spec.shapes().keySet()) {
                NDArray copy = weights.get(n).toDevice(owner.getDevice(), true);
                copy.attach(owner);
                NDArray typed = copy.toType(EncoderDecoderSpec.isNormTensor(n) ? DataType.FLOAT32 : type, true);
                typed.attach(owner);
                copy.close();
                params.put(n, typed);
            }
            return new EncoderDecoderModel(spec, params, owner, type, tokenizer, directory);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Seeded random float32 weights for {@code spec} (for training from scratch and tests): matrices, embeddings, biases
     * and position tables N(0, std²); norm weights 1 + N(0, std²). Owned by {@code manager}.
     */
    public static Map<String, NDArray> randomWeights(EncoderDecoderSpec spec, NDManager manager, long seed, float std) {
        manager.getEngine().setRandomSeed((int) seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : spec.shapes().entrySet()) {
            NDArray a = manager.randomNormal(0f, std, e.getValue(), DataType.FLOAT32);
            if (EncoderDecoderSpec.isNormTensor(e.getKey()) && e.getKey().endsWith(".weight")) {
                NDArray shifted = a.add(1f);
                a.close();
                a = shifted;
            }
            out.put(e.getKey(), a);
        }
        return out;
    }

    /**
     * Seeded float32 weights drawn as T5 initialises them (Hugging Face's T5PreTrainedModel._init_weights, scaled by
     * {@code factor}, T5's initializer_factor): embeddings and an untied LM head N(0, 1); q N(0, 1/(d·d_kv)), k and v
     * N(0, 1/d), o N(0, 1/(heads·d_kv)); wi (wi_0, wi_1) N(0, 1/d), wo N(0, 1/d_ff); relative bias tables N(0, 1/d);
     * norm weights 1 — all standard deviations times {@code factor}. Biases (and LayerNorm biases) start at 0, learned
     * position tables N(0, 1) like the embedding. Owned by {@code manager}.
     */
    public static Map<String, NDArray> t5Weights(EncoderDecoderSpec spec, NDManager manager, long seed, double factor) {
        manager.getEngine().setRandomSeed((int) seed);
        double d = spec.dModel(), inner = (double) spec.heads() * spec.headDim();
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : spec.shapes().entrySet()) {
            String n = e.getKey();
            Shape shape = e.getValue();
            double std;
            if (EncoderDecoderSpec.isNormTensor(n)) {
                out.put(n, n.endsWith(".weight") ? manager.full(shape, (float) factor) : manager.zeros(shape));
                continue;
            } else if (n.endsWith(".bias")) {
                out.put(n, manager.zeros(shape));
                continue;
            } else if (n.endsWith(".q.weight")) std = 1 / Math.sqrt(d * spec.headDim());
            else if (n.endsWith(".k.weight") || n.endsWith(".v.weight")) std = 1 / Math.sqrt(d);
            else if (n.endsWith(".o.weight")) std = 1 / Math.sqrt(inner);
            else if (n.endsWith(".wo.weight")) std = 1 / Math.sqrt(spec.feedForward());
            else if (n.contains(".wi")) std = 1 / Math.sqrt(d);
            else if (n.endsWith("relative_attention_bias.weight")) std = 1 / Math.sqrt(d);
            else std = 1;                                    // shared, decoder.embed_tokens, positions, lm_head
            out.put(n, manager.randomNormal(0f, (float) (factor * std), shape, DataType.FLOAT32));
        }
        return out;
    }

    /** Whether {@code dir}'s config.json names an encoder-decoder model this class loads ("t5" or "layerwise-seq2seq"). */
    public static boolean isEncoderDecoderFolder(Path dir) {
        String type = ModelFolder.modelType(dir);
        return type.equals(EncoderDecoderSpec.T5) || type.equals(EncoderDecoderSpec.LAYERWISE);
    }

    /**
     * Loads a folder saved by {@link #save} or by transformers' {@code T5ForConditionalGeneration.save_pretrained}.
     * Every tensor the config needs is checked for presence, shape and dtype before any is loaded (extra tensors,
     * e.g. the tied copies encoder.embed_tokens.weight, are ignored); the tokenizer is opened when the folder has one.
     * On any failure nothing stays loaded.
     */
    public static EncoderDecoderModel load(Path dir, LoadOptions options) throws CheckpointException, InsufficientMemoryException {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Path configFile = dir.resolve(Checkpoint.CONFIG_FILE);
            EncoderDecoderSpec spec;
            try {
                spec = EncoderDecoderSpec.fromConfig(checkpoint.config());
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(configFile + ": " + e.getMessage(), e);
            }
            checkpoint.requireTensors(spec.shapes(), spec.describe());
            DataType type = options.resolveType(checkpoint.tensors().get("shared.weight").dtype().dataType());
            Device target = options.resolveDevice();
            long bytes = 0;
            for (Map.Entry<String, Shape> e : spec.shapes().entrySet())
                bytes += e.getValue().size() * (EncoderDecoderSpec.isNormTensor(e.getKey()) ? 4 : type.getNumOfBytes());
            MemoryEstimate.forWeights(bytes, target).requireFits("Model " + dir.getFileName() + " in " + LoadOptions.dtypeName(type));
            HfTokenizer tokenizer = checkpoint.hasTokenizer() ? HfTokenizer.load(dir) : null;
            NDManager owner = NDManager.newBaseManager(target);
            try {
                Map<String, NDArray> params = new LinkedHashMap<>();
                for (String n : spec.shapes().keySet())
                    params.put(n, checkpoint.load(n, owner, EncoderDecoderSpec.isNormTensor(n) ? DataType.FLOAT32 : type));
                return new EncoderDecoderModel(spec, params, owner, type, tokenizer, dir);
            } catch (CheckpointException | RuntimeException | Error e) {
                owner.close();
                if (tokenizer != null) tokenizer.close();
                throw e;
            }
        }
    }

    /**
     * Writes config.json (T5's fields; model_type "t5" when T5 expresses the spec, else "layerwise-seq2seq"),
     * model.safetensors (the parameters under their names, in the model's dtype, norms float32) and the other files of
     * the folder the model came from (tokenizer.json, the builder's config, ...), in one atomic step.
     */
    @Override
    public void save(Path dir) throws CheckpointException {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        ModelFolder.save(name, dir, file -> SafetensorsWriter.write(file, params, Map.of("format", "pt")),
                JSON.valueToTree(spec.toConfig(LoadOptions.dtypeName(dtype))), directory);
    }

    // ---------------------------------------------------------------- forward

    /**
     * Float32 logits [B, Tdec, V] of the decoder inputs given the source.
     *
     * @param sourceIds       [B, Ts] token ids (any integer type)
     * @param sourceMask      [B, Ts], 1 for real tokens and 0 for (right) padding, or null
     * @param decoderInputIds [B, Tdec]: the decoder start token, then the target shifted right
     * @param decoderMask     [B, Tdec], 1 for real tokens and 0 for padding, or null
     */
    public NDArray forward(NDManager out, NDArray sourceIds, NDArray sourceMask, NDArray decoderInputIds, NDArray decoderMask) {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        try (NDManager scope = manager.newSubManager()) {
            NDArray source = tokens(scope, sourceIds, "source ids");
            NDArray target = tokens(scope, decoderInputIds, "decoder input ids");
            if (source.getShape().get(0) != target.getShape().get(0))
                throw new IllegalArgumentException("source ids " + source.getShape() + " and decoder input ids " + target.getShape()
                        + " must have the same batch size");
            NDArray sMask = mask(scope, sourceMask, source, "source mask");
            NDArray dMask = mask(scope, decoderMask, target, "decoder mask");
            Pass pass = new Pass(null, null, null, null, null, null);
            NDArray memory = encode(scope, source, sMask, pass);
            NDArray logits = head(decode(scope, memory, sMask, target, dMask, pass));
            logits.attach(out);
            return logits;
        }
    }

    /** The encoder's output [B, Ts, d] (after its final norm), attached to {@code out}. */
    public NDArray encoderOutput(NDManager out, NDArray sourceIds, NDArray sourceMask) {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        try (NDManager scope = manager.newSubManager()) {
            NDArray source = tokens(scope, sourceIds, "source ids");
            NDArray memory = encode(scope, source, mask(scope, sourceMask, source, "source mask"), new Pass(null, null, null, null, null, null));
            memory.attach(out);
            return memory;
        }
    }

    private NDArray encode(NDManager scope, NDArray source, NDArray sourceMask, Pass pass) {
        long b = source.getShape().get(0), t = source.getShape().get(1);
        NDArray x = Embedding.embedding(source, p("shared.weight"), SparseFormat.DENSE).singletonOrThrow();
        if (spec.encoderPositions()) x = x.add(positions(scope, "encoder.embed_positions.weight", t));
        NDArray bias = null;
        if (spec.relativePosition())
            bias = RelativePositionBias.bias(scope, p("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"),
                    t, t, true, spec.maxDistance());
        if (spec.causalEncoder()) bias = plus(bias, causal(scope, t));
        bias = plus(bias, padding(sourceMask, b, t));
        for (EncoderLayer l : encoder) {
            NDArray n = l.attentionNorm().apply(x);
            x = x.add(l.attention().forward(n, n, bias));
            x = x.add(l.feedForward().forward(l.feedForwardNorm().apply(x), pass));
        }
        return encoderNorm.apply(x);
    }

    private NDArray decode(NDManager scope, NDArray memory, NDArray sourceMask, NDArray target, NDArray targetMask, Pass pass) {
        long b = target.getShape().get(0), t = target.getShape().get(1), ts = memory.getShape().get(1);
        NDArray embedding = spec.sharedEmbedding() ? p("shared.weight") : p("decoder.embed_tokens.weight");
        NDArray x = Embedding.embedding(target, embedding, SparseFormat.DENSE).singletonOrThrow();
        if (spec.decoderPositions()) x = x.add(positions(scope, "decoder.embed_positions.weight", t));
        NDArray selfBias = causal(scope, t);
        if (spec.relativePosition())
            selfBias = selfBias.add(RelativePositionBias.bias(scope,
                    p("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"), t, t, false, spec.maxDistance()));
        selfBias = plus(selfBias, padding(targetMask, b, t));
        NDArray crossBias = padding(sourceMask, b, ts);
        for (DecoderLayer l : decoder) {
            NDArray n = l.selfNorm().apply(x);
            x = x.add(l.self().forward(n, n, selfBias));
            x = x.add(l.cross().forward(l.crossNorm().apply(x), memory, crossBias));
            x = x.add(l.feedForward().forward(l.feedForwardNorm().apply(x), pass));
        }
        return decoderNorm.apply(x);
    }

    /** Float32 logits of decoder states: the tied head rescales by d_model^-0.5 first, as T5 does. */
    private NDArray head(NDArray hidden) {
        NDArray weight = spec.tiedHead() ? p("shared.weight") : p("lm_head.weight");
        NDArray h = spec.tiedHead() ? Scalars.times(hidden, 1.0 / Math.sqrt(spec.dModel())) : hidden;
        return Attention.linear(h, weight, p("lm_head.bias")).toType(DataType.FLOAT32, false);
    }

    private NDArray positions(NDManager scope, String table, long t) {
        NDArray ids = scope.arange(0, (int) t, 1, DataType.INT64).reshape(1, t);
        return Embedding.embedding(ids, p(table), SparseFormat.DENSE).singletonOrThrow();
    }

    /** Float32 [1, 1, T, T]: MASKED where the key comes after the query. */
    private static NDArray causal(NDManager scope, long t) {
        NDArray query = scope.arange(0, (int) t, 1, DataType.INT64).reshape(t, 1);
        NDArray key = scope.arange(0, (int) t, 1, DataType.INT64).reshape(1, t);
        return key.gt(query).toType(DataType.FLOAT32, false).mul(MASKED).reshape(1, 1, t, t);
    }

    /** Float32 [B, 1, 1, T]: MASKED on padding keys, or null without a mask. */
    private static NDArray padding(NDArray mask, long b, long t) {
        return mask == null ? null : mask.eq(0).toType(DataType.FLOAT32, false).mul(MASKED).reshape(b, 1, 1, t);
    }

    private static NDArray plus(NDArray a, NDArray b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    /** The caller's ids as int64 on the model's device, checked: [B, T], within the vocabulary and the positions. */
    private NDArray tokens(NDManager scope, NDArray ids, String what) {
        NDArray local = local(scope, ids);
        Shape s = local.getShape();
        if (s.dimension() != 2 || s.get(1) == 0) throw new IllegalArgumentException(what + " must be [batch, tokens] with tokens, got " + s);
        if (s.get(1) > spec.maxPositions())
            throw new IllegalArgumentException(what + ": " + s.get(1) + " tokens exceed the model's " + spec.maxPositions() + " positions");
        long lo = local.min().getLong(), hi = local.max().getLong();
        if (lo < 0 || hi >= spec.vocabSize())
            throw new IllegalArgumentException(what + ": token id " + (lo < 0 ? lo : hi) + " is outside the vocabulary of " + spec.vocabSize());
        return local;
    }

    private NDArray mask(NDManager scope, NDArray mask, NDArray ids, String what) {
        if (mask == null) return null;
        NDArray local = local(scope, mask);
        if (!local.getShape().equals(ids.getShape()))
            throw new IllegalArgumentException(what + " " + local.getShape() + " must match its ids " + ids.getShape());
        return local;
    }

    private NDArray local(NDManager scope, NDArray a) {
        NDArray copy = a.toType(DataType.INT64, true);
        copy.attach(scope);
        return copy.toDevice(device, false);
    }

    // ---------------------------------------------------------------- generation

    /**
     * Greedy decoding: the most likely next token at each step, from the decoder start token, until EOS (not
     * included), {@code maxTokens} tokens or the model's last position. The source is encoded once.
     */
    public int[] generate(int[] sourceIds, int maxTokens) {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        if (sourceIds.length == 0) throw new IllegalArgumentException("The source has no tokens");
        List<Integer> out = new ArrayList<>();
        try (GradMode off = GradMode.off(); NDManager scope = manager.newSubManager()) {
            NDArray source = tokens(scope, scope.create(Arrays.stream(sourceIds).asLongStream().toArray(), new Shape(1, sourceIds.length)), "source ids");
            Pass pass = new Pass(null, null, null, null, null, null);
            NDArray memory = encode(scope, source, null, pass);
            long[] feed = {spec.decoderStartTokenId()};
            while (out.size() < maxTokens && feed.length <= spec.maxPositions()) {
                int next;
                try (NDManager step = scope.newSubManager()) {
                    NDArray target = step.create(feed, new Shape(1, feed.length)).toDevice(device, false);
                    NDArray logits = head(decode(step, memory, null, target, null, pass).get(":, -1, :"));
                    next = (int) logits.argMax(-1).getLong();
                }
                if (next == spec.eosTokenId()) break;
                out.add(next);
                feed = Arrays.copyOf(feed, feed.length + 1);
                feed[feed.length - 1] = next;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Greedy decoding of a text source, tokenised as {@link #sourceIds} does; the output decoded without special tokens. */
    public String generate(String source, int maxTokens) {
        if (!(tokenizer instanceof HfTokenizer hf))
            throw new IllegalStateException("Model " + name + " has no tokenizer.json; generate from token ids instead");
        return hf.decode(generate(sourceIds(hf, source, spec.eosTokenId()), maxTokens), true);
    }

    /**
     * How an encoder-decoder source (or target) text becomes tokens here, as T5 does it: the text's tokens without
     * the tokenizer's template specials, then EOS when the vocabulary has one ({@code eos} ≥ 0).
     */
    public static int[] sourceIds(HfTokenizer tokenizer, String text, int eos) {
        int[] ids = tokenizer.encode(text, false).ids();
        if (eos < 0) return ids;
        int[] withEos = Arrays.copyOf(ids, ids.length + 1);
        withEos[ids.length] = eos;
        return withEos;
    }

    // ---------------------------------------------------------------- description

    public EncoderDecoderSpec spec() { return spec; }

    /** The tokenizer of the folder, or null. */
    public TextTokenizer tokenizer() { return tokenizer; }

    @Override public String name() { return name; }

    @Override public Map<String, NDArray> parameters() { return Collections.unmodifiableMap(params); }

    @Override public DataType dataType() { return dtype; }

    @Override public Device djlDevice() { return device; }

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
        return name + " (" + spec.describe() + ", " + parameterCount() + " parameters, " + LoadOptions.dtypeName(dtype) + ")";
    }
}
