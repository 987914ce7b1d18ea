package org.layerwise.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.checkpoint.Checkpoint;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.DType;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.tokenizer.Encoding;
import org.layerwise.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one transformer of the engine: GPT-2, GPT-J, LLaMA/Mistral and any other {@link TransformerSpec},
 * on DJL NDArrays (PyTorch). Weights are held in the {@link WeightLayout} (linear layout [out, in], fused
 * q/k/v) in the model's dtype; norm weights in float32. Norms, attention softmax and log-softmax run in
 * float32; logits come back as float32.
 *
 * <p>Every forward pass works in a sub-manager of the model's manager that is closed when it returns;
 * the logits (and tap recordings) are attached to the manager the caller passes in. Forward passes may run
 * concurrently; {@link #setParameter} must not run concurrently with a forward pass.
 */
public final class TransformerModel implements LanguageModel, TokenModel {
    /** Masked attention scores: large and finite, so a row with every key masked gives no NaN. */
    private static final float MASKED = -1e9f;

    private final TransformerSpec spec;
    private final TextTokenizer tokenizer;
    private final Path directory;
    private final String name;
    private final ObjectNode config;
    private final Device device;
    private final DataType dtype;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Rotary rotary;
    /** Fixed sinusoidal positions [maxPositions, d] in the compute dtype, or null when the spec has none. */
    private final NDArray sinusoids;
    private final int[] eosTokenIds;
    private final Set<String> tapPoints;
    private volatile Net net;
    /** How save() stores weights: BF16 for a bfloat16 checkpoint held as float16, else null (the model's dtype). */
    private DType storeAs;
    private volatile boolean closed;

    /** The parts the forward pass reads, rebuilt when a parameter changes (segEmbed, embedNorm: null when off). */
    private record Net(NDArray embed, NDArray posEmbed, NDArray segEmbed, Norm embedNorm, Block[] blocks, Norm finalNorm,
                       NDArray lmHead, NDArray lmHeadBias) {}

    private TransformerModel(TransformerSpec spec, Map<String, NDArray> params, NDManager manager, DataType dtype,
                             TextTokenizer tokenizer, JsonNode hfConfig, Path directory) {
        this.spec = spec;
        this.params = params;
        this.manager = manager;
        this.device = manager.getDevice();
        this.dtype = dtype;
        this.tokenizer = tokenizer;
        this.directory = directory;
        this.name = directory != null && directory.getFileName() != null ? directory.getFileName().toString() : spec.modelType();
        this.config = spec.toHuggingFaceConfig(hfConfig, LoadOptions.dtypeName(dtype));
        this.eosTokenIds = tokenIds(config.get("eos_token_id"));
        this.rotary = spec.rotary() == TransformerSpec.RotaryStyle.NONE ? null : new Rotary(spec, manager, dtype);
        this.sinusoids = spec.sinusoidalPositions() ? sinusoidTable(spec, manager, dtype) : null;
        this.tapPoints = Collections.unmodifiableSet(new LinkedHashSet<>(Taps.pointsOf(spec.layers())));
        this.net = buildNet();
    }

    // ---------------------------------------------------------------- construction

    /** A model from weights in memory on the default device, in the weights' dtype. */
    public static TransformerModel create(TransformerSpec spec, Map<String, NDArray> weights, TextTokenizer tokenizer) {
        return create(spec, weights, tokenizer, LoadOptions.defaults(), null, null);
    }

    /**
     * A model from weights in memory (copied; the caller keeps its arrays).
     *
     * @param weights   named as {@code spec.modelType()}'s checkpoints name them (Hugging Face names for gpt2,
     *                  gptj, llama, mistral; {@link WeightLayout} names for layerwise); {@link RandomWeights}
     *                  makes such a map
     * @param hfConfig  the config.json to keep (eos_token_id and other fields are written back on save); may be null
     * @param directory where the tokenizer files live (copied on save); may be null
     */
    public static TransformerModel create(TransformerSpec spec, Map<String, NDArray> weights, TextTokenizer tokenizer,
                                          LoadOptions options, JsonNode hfConfig, Path directory) {
        WeightNaming naming = WeightNaming.of(spec, weights.keySet());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Shape> e : naming.storedShapes().entrySet()) {
            NDArray w = weights.get(e.getKey());
            if (w == null) problems.add("missing tensor " + e.getKey() + " " + e.getValue());
            else if (!w.getShape().equals(e.getValue()))
                problems.add("tensor " + e.getKey() + " has shape " + w.getShape() + ", the spec needs " + e.getValue());
        }
        if (!problems.isEmpty())
            throw new IllegalArgumentException("Weights do not fit the " + spec.describe() + " spec: " + String.join("; ", problems));
        // the embedding's dtype is the checkpoint's dtype (norms may be stored wider)
        DataType type = options.resolveType(weights.get(naming.entries().get(0).parts().get(0)).getDataType());
        Device target = options.resolveDevice();
        NDManager owner = NDManager.newBaseManager(target);
        try {
            Map<String, NDArray> params = naming.read((n, m, t) -> {
                NDArray copy = weights.get(n).toDevice(target, true);
                copy.attach(m);
                return copy.toType(t, false);
            }, owner, type);
            return new TransformerModel(spec, params, owner, type, tokenizer, hfConfig, directory);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    private Net buildNet() {
        Block[] blocks = new Block[spec.layers()];
        boolean parallel = spec.residual() == TransformerSpec.Residual.PARALLEL;
        boolean post = spec.normPosition() == TransformerSpec.NormPosition.POST;
        for (int l = 0; l < blocks.length; l++) {
            Attention attn = new Attention(l, spec, p(WeightLayout.qkv(l) + ".weight"), p(WeightLayout.qkv(l) + ".bias"),
                    p(WeightLayout.attnOut(l) + ".weight"), p(WeightLayout.attnOut(l) + ".bias"), rotary);
            Mlp mlp = new Mlp(l, spec, p(WeightLayout.gate(l) + ".weight"), p(WeightLayout.gate(l) + ".bias"),
                    p(WeightLayout.up(l) + ".weight"), p(WeightLayout.up(l) + ".bias"),
                    p(WeightLayout.down(l) + ".weight"), p(WeightLayout.down(l) + ".bias"));
            blocks[l] = new Block(l, parallel, post, norm(WeightLayout.norm1(l)), parallel ? null : norm(WeightLayout.norm2(l)), attn, mlp);
        }
        NDArray embed = p("embed.weight");
        return new Net(embed, p("pos_embed.weight"), p(WeightLayout.SEGMENT_EMBEDDING + ".weight"),
                spec.embeddingNorm() ? new Norm(TransformerSpec.NormKind.LAYER, p(WeightLayout.EMBEDDING_NORM + ".weight"),
                        p(WeightLayout.EMBEDDING_NORM + ".bias"), spec.normEps()) : null, blocks, spec.finalNorm() ? norm("final_norm") : null,
                spec.tiedEmbeddings() ? embed : p("lm_head.weight"), p("lm_head.bias"));
    }

    private NDArray p(String layoutName) { return params.get(layoutName); }

    /**
     * Vaswani et al.'s positions: row p holds sin(p·ω_i) at dim 2i and cos(p·ω_i) at dim 2i+1, ω_i = 10000^(−2i/d),
     * computed in float32 (as TencentPretrain's sinusoidalpos buffer) and kept in the compute dtype.
     */
    private static NDArray sinusoidTable(TransformerSpec spec, NDManager owner, DataType type) {
        int d = spec.dModel();
        try (NDManager tmp = owner.newSubManager()) {
            NDArray omega = tmp.arange(0, d, 2, DataType.INT64).toType(DataType.FLOAT32, false)
                    .mul((float) (-Math.log(10000.0) / d)).exp();                                  // [d/2]
            NDArray pos = tmp.arange(0, spec.maxPositions(), 1, DataType.INT64).toType(DataType.FLOAT32, false);
            NDArray angles = pos.reshape(-1, 1).mul(omega.reshape(1, -1));                         // [P, d/2]
            NDArray table = angles.sin().stack(angles.cos(), 2).reshape(spec.maxPositions(), d).toType(type, false);
            table.attach(owner);
            return table;
        }
    }

    private Norm norm(String prefix) {
        NDArray bias = p(prefix + ".bias");
        if (spec.norm() == TransformerSpec.NormKind.LAYER && bias == null)   // LayerNorm without a bias: zeros
            bias = manager.zeros(new Shape(spec.dModel()), DataType.FLOAT32);
        return new Norm(spec.norm(), p(prefix + ".weight"), bias, spec.normEps());
    }

    private static int[] tokenIds(JsonNode node) {
        if (node == null || node.isNull()) return new int[0];
        if (node.isArray()) {
            int[] out = new int[node.size()];
            for (int i = 0; i < out.length; i++) out[i] = node.get(i).asInt();
            return out;
        }
        return new int[] {node.asInt()};
    }

    // ---------------------------------------------------------------- checkpoints

    /**
     * Loads a Hugging Face model folder (config.json, model.safetensors or shards, tokenizer.json) as
     * saved by {@code save_pretrained} or by {@link #save}. Every tensor the config needs is checked for
     * presence and shape, the tokenizer is opened and the memory is estimated before any weight is
     * loaded; weights are then loaded one at a time, straight to the target dtype. On any failure nothing
     * stays loaded.
     */
    public static TransformerModel load(Path dir, LoadOptions options) throws CheckpointException, InsufficientMemoryException {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            TransformerSpec spec = specOf(checkpoint);
            WeightNaming naming = checkedNaming(checkpoint, spec);
            DType stored = checkpoint.tensors().get(naming.entries().get(0).parts().get(0)).dtype();
            DataType type = options.resolveType(stored.dataType());
            Device device = options.resolveDevice();
            MemoryEstimate.forWeights(weightBytes(naming, type), device)
                    .requireFits("Model " + dir.getFileName() + " in " + LoadOptions.dtypeName(type));
            HfTokenizer tokenizer = HfTokenizer.load(dir);
            NDManager owner = NDManager.newBaseManager(device);
            try {
                Map<String, NDArray> params = naming.read((name, m, t) -> checkpoint.load(name, m, t), owner, type);
                TransformerModel model = new TransformerModel(spec, params, owner, type, tokenizer, checkpoint.config(), dir);
                model.storeAs = stored == DType.BF16 && type == DataType.FLOAT16 ? DType.BF16 : null;
                return model;
            } catch (CheckpointException | RuntimeException | Error e) {
                owner.close();
                tokenizer.close();
                throw e;
            }
        }
    }

    /**
     * What loading {@code dir} with {@code options} would need and what the device has, without loading
     * anything (for "models info"). Checks the folder as {@link #load} does.
     */
    public static MemoryEstimate estimate(Path dir, LoadOptions options) throws CheckpointException {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            WeightNaming naming = checkedNaming(checkpoint, specOf(checkpoint));
            DType stored = checkpoint.tensors().get(naming.entries().get(0).parts().get(0)).dtype();
            return MemoryEstimate.forWeights(weightBytes(naming, options.resolveType(stored.dataType())), options.resolveDevice());
        }
    }

    private static TransformerSpec specOf(Checkpoint checkpoint) throws CheckpointException {
        try {
            return TransformerSpec.fromHuggingFaceConfig(checkpoint.config());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(checkpoint.directory().resolve(Checkpoint.CONFIG_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The naming for the checkpoint, after checking that every tensor the spec needs is there with its shape. */
    private static WeightNaming checkedNaming(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        WeightNaming naming = WeightNaming.of(spec, checkpoint.tensors().keySet());
        checkpoint.requireTensors(naming.storedShapes(), spec.describe());
        return naming;
    }

    /** Bytes the weights take on the device: norms in float32, everything else in {@code type}. */
    private static long weightBytes(WeightNaming naming, DataType type) {
        long bytes = 0;
        for (WeightNaming.Entry e : naming.entries())
            bytes += e.layoutShape().size() * (WeightLayout.isNormParameter(e.layoutName()) ? 4 : type.getNumOfBytes());
        return bytes;
    }

    /**
     * Writes the model as a Hugging Face folder that this engine and transformers both open: config.json
     * (the original fields kept, the architecture from the spec), model.safetensors (in the model's dtype;
     * bfloat16 again for a bfloat16 checkpoint kept as float16) and the other files of the folder the model
     * came from (tokenizer.json, generation_config.json, ...). The folder is built aside and moved into
     * place in one step, so {@code dir} may be the folder the model was loaded from.
     */
    public void save(Path dir) throws CheckpointException {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        ObjectNode written = config.deepCopy();
        if (storeAs == DType.BF16) {
            written.put("torch_dtype", "bfloat16");
            written.put("dtype", "bfloat16");
        }
        ModelFolder.save(name, dir, file -> {
            try (NDManager scope = manager.newSubManager()) {
                SafetensorsWriter.write(file, WeightNaming.of(spec, null).write(params, scope, dtype), Map.of("format", "pt"), storeAs);
            }
        }, written, directory);
    }

    // ---------------------------------------------------------------- forward

    /**
     * Logits [B, T, V] in float32 for token ids [B, T] (any integer type).
     *
     * @param attentionMask [B, T], 1 for real tokens and 0 for padding (left or right), or null; positions
     *                      count real tokens only, so a padded row gives the same logits as the row alone
     * @param taps          taps to apply, or {@link Taps#none()}
     */
    public NDArray forward(NDManager m, NDArray ids, NDArray attentionMask, Taps taps) {
        return run(m, ids, attentionMask, null, taps, null, true);
    }

    /**
     * Logits [B, T, V] in float32 with segment ids [B, T] (0 padding, 1 sentence A or the prefix, 2 sentence B), which
     * the segment embedding adds and the causal_with_prefix mask reads; null as in {@link #forward(NDManager, NDArray,
     * NDArray, Taps)} (every real token in segment 1, no prefix).
     */
    public NDArray forward(NDManager m, NDArray ids, NDArray attentionMask, NDArray segments, Taps taps) {
        return run(m, ids, attentionMask, segments, taps, null, true);
    }

    /** Logits [T, V] in float32 for one sequence (tap recordings keep their batch axis of 1). */
    public NDArray forward(NDManager m, int[] ids, Taps taps) {
        try (NDManager scope = manager.newSubManager()) {
            return run(m, idsArray(scope, ids), null, null, taps, null, true).squeeze(0);
        }
    }

    /** The final hidden states (after the final norm) when {@code head} is false, else the logits. */
    private NDArray run(NDManager out, NDArray ids, NDArray attentionMask, NDArray segments, Taps taps, KvCache cache,
                        boolean head) {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        boolean tapping = taps != null && !taps.isEmpty();
        if (tapping) {
            taps.validate(tapPoints, spec.layers());
            taps.beginPass();
        }
        Net n = net;
        try (NDManager scope = manager.newSubManager()) {
            NDArray tokens = local(ids, scope);
            Shape s = tokens.getShape();
            if (s.dimension() != 2) throw new IllegalArgumentException("token ids must be [batch, tokens], got " + s);
            long b = s.get(0), t = s.get(1);
            int past = cache == null ? 0 : cache.length();
            if (t == 0) throw new IllegalArgumentException("no tokens to run");
            if (past + t > spec.maxPositions())
                throw new IllegalArgumentException(past + t + " tokens exceed the model's " + spec.maxPositions() + " positions");
            long lo = tokens.min().getLong(), hi = tokens.max().getLong();
            if (lo < 0 || hi >= spec.vocabSize())
                throw new IllegalArgumentException("token id " + (lo < 0 ? lo : hi) + " is outside the vocabulary of " + spec.vocabSize());
            NDArray keyMask = null;
            if (attentionMask != null) {
                keyMask = local(attentionMask, scope);
                if (!keyMask.getShape().equals(new Shape(b, past + t)))
                    throw new IllegalArgumentException("attention mask " + keyMask.getShape() + " must be [" + b + ", " + (past + t) + "]");
            }
            boolean readsSegments = spec.segmentEmbedding() || spec.mask() == TransformerSpec.MaskKind.CAUSAL_WITH_PREFIX;
            NDArray segs = segments == null || !readsSegments ? null : segmentIds(scope, segments, b, t, cache);
            NDArray positions = keyMask == null
                    ? scope.arange(past, past + (int) t, 1, DataType.INT64).reshape(1, t)
                    : keyMask.cumSum(1).sub(1).maximum(0).get(":, " + past + ":");
            NDArray x = Embedding.embedding(tokens, n.embed, SparseFormat.DENSE).singletonOrThrow();
            if (n.posEmbed != null) x = x.add(Embedding.embedding(positions, n.posEmbed, SparseFormat.DENSE).singletonOrThrow());
            if (sinusoids != null) x = x.add(Embedding.embedding(positions, sinusoids, SparseFormat.DENSE).singletonOrThrow());
            if (n.segEmbed != null) {
                // no segments given: every real token is sentence A (1), padding is segment 0
                NDArray rows = segs != null ? segs : keyMask != null ? keyMask.get(":, " + past + ":").gt(0).toType(DataType.INT64, false)
                        : scope.ones(new Shape(1, t), DataType.INT64);
                x = x.add(Embedding.embedding(rows, n.segEmbed, SparseFormat.DENSE).singletonOrThrow());
            }
            if (n.embedNorm != null) x = n.embedNorm.apply(x);
            NDArray[] angles = rotary == null ? new NDArray[2] : rotary.at(positions);
            Pass pass = new Pass(tapping ? taps : null, out, angles[0], angles[1], additiveMask(scope, keyMask, segs, b, t, past), cache);
            for (Block block : n.blocks) x = block.forward(x, pass);
            if (n.finalNorm != null) x = n.finalNorm.apply(x);
            x = pass.tap(Taps.FINAL_NORM, x);
            if (!head) {
                x.attach(out);
                return x;
            }
            NDArray logits = pass.tap(Taps.LOGITS, Attention.linear(x, n.lmHead, n.lmHeadBias).toType(DataType.FLOAT32, false));
            if (cache != null) cache.advance((int) t);
            logits.attach(out);
            return logits;
        }
    }

    /**
     * The logit lens: float32 logits [..., vocab] for hidden states [..., dModel] read anywhere in the residual
     * stream (any leading shape, e.g. [layers, positions, dModel] for all layers in one op), through the final
     * norm when {@code applyFinalNorm} and the model has one, then the LM head, exactly as the forward pass
     * ends. The result is attached to {@code m}.
     */
    public NDArray unembed(NDManager m, NDArray hidden, boolean applyFinalNorm) {
        if (closed) throw new IllegalStateException("Model " + name + " is closed");
        Shape s = hidden.getShape();
        if (s.dimension() == 0 || s.get(s.dimension() - 1) != spec.dModel())
            throw new IllegalArgumentException("hidden states " + s + " must end in the model width " + spec.dModel());
        Net n = net;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = hidden.toDevice(device, true);
            x.attach(scope);
            x = x.toType(dtype, false);
            if (applyFinalNorm && n.finalNorm != null) x = n.finalNorm.apply(x);
            NDArray logits = Attention.linear(x, n.lmHead, n.lmHeadBias).toType(DataType.FLOAT32, true);
            logits.attach(m);
            return logits;
        }
    }

    /** A copy of a caller's integer array, as int64 on the model's device, owned by {@code scope}. */
    private NDArray local(NDArray a, NDManager scope) {
        NDArray copy = a.toType(DataType.INT64, true);
        copy.attach(scope);
        return copy.toDevice(device, false);
    }

    /**
     * Segment ids [B, T] as int64 on the model's device, checked: the shape of the ids and values 0, 1, 2. Not with a
     * cache: a prefix mask over cached keys would need the segments of earlier steps.
     */
    private NDArray segmentIds(NDManager scope, NDArray segments, long b, long t, KvCache cache) {
        if (cache != null) throw new IllegalArgumentException("segments cannot be given to a cached (incremental) pass");
        NDArray segs = local(segments, scope);
        if (!segs.getShape().equals(new Shape(b, t)))
            throw new IllegalArgumentException("segment ids " + segs.getShape() + " must be [" + b + ", " + t + "], one per token");
        long lo = segs.min().getLong(), hi = segs.max().getLong();
        if (lo < 0 || hi > 2)
            throw new IllegalArgumentException("segment id " + (lo < 0 ? lo : hi) + " is not 0 (padding), 1 (sentence A) or 2 (sentence B)");
        return segs;
    }

    /**
     * Additive float32 mask [B or 1, 1, 1, T, past+T] (matching the grouped scores), or null. With the prefix mask and
     * segments, a key of segment 1 stays visible to every query.
     */
    private NDArray additiveMask(NDManager scope, NDArray keyMask, NDArray segments, long b, long t, int past) {
        long keys = past + t;
        NDArray mask = null;
        int window = spec.slidingWindow();
        if (spec.mask().causal() && (t > 1 || window > 0 && keys > window)) {
            NDArray query = scope.arange(past, (int) keys, 1, DataType.INT64).reshape(t, 1);
            NDArray key = scope.arange(0, (int) keys, 1, DataType.INT64).reshape(1, keys);
            NDArray blocked = key.gt(query);
            if (window > 0) blocked = blocked.logicalOr(query.sub(key).gte(window));
            if (spec.mask() == TransformerSpec.MaskKind.CAUSAL_WITH_PREFIX && segments != null) {
                NDArray outsidePrefix = segments.neq(1).reshape(b, 1, keys);                     // per row
                mask = blocked.expandDims(0).logicalAnd(outsidePrefix).toType(DataType.FLOAT32, false).mul(MASKED)
                        .reshape(b, 1, 1, t, keys);
            } else {
                mask = blocked.toType(DataType.FLOAT32, false).mul(MASKED).reshape(1, 1, 1, t, keys);
            }
        }
        if (keyMask != null) {
            NDArray padding = keyMask.eq(0).toType(DataType.FLOAT32, false).mul(MASKED).reshape(b, 1, 1, 1, keys);
            mask = mask == null ? padding : mask.add(padding);
        }
        return mask;
    }

    private NDArray idsArray(NDManager m, int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return m.create(l, new Shape(1, ids.length));
    }

    // ---------------------------------------------------------------- scoring

    /** Sum of log-probabilities of each continuation's tokens after {@code prompt}. */
    public double[] continuationLogProbs(String prompt, List<String> continuations) {
        return scoreContinuations(prompt, continuations).stream().mapToDouble(ContinuationScore::logProb).toArray();
    }

    /**
     * Log-probability and token count of each continuation after {@code prompt}. The prompt and the
     * continuation are tokenised together (so merges across the boundary happen as in the running text);
     * tokens ending after the prompt's last character are the continuation's. The first token of a
     * sequence has no prediction and is not scored.
     */
    public List<ContinuationScore> scoreContinuations(String prompt, List<String> continuations) {
        List<ContinuationScore> out = new ArrayList<>();
        int batch = 8;
        try (GradMode off = GradMode.off()) {
            for (int from = 0; from < continuations.size(); from += batch) {
                out.addAll(scoreBatch(prompt, continuations.subList(from, Math.min(continuations.size(), from + batch))));
            }
        }
        return out;
    }

    private List<ContinuationScore> scoreBatch(String prompt, List<String> continuations) {
        int rows = continuations.size();
        int[][] ids = new int[rows][];
        int[] firstScored = new int[rows];
        int longest = 0;
        for (int r = 0; r < rows; r++) {
            Encoding e = encode(prompt + continuations.get(r));
            ids[r] = e.ids();
            int first = ids[r].length;
            for (int i = 0; i < ids[r].length; i++) {
                if (e.charEnds()[i] > prompt.length()) { first = i; break; }
            }
            firstScored[r] = Math.max(first, 1);
            longest = Math.max(longest, ids[r].length);
        }
        long[] flat = new long[rows * longest];
        long[] maskFlat = new long[rows * longest];
        float[] scoredFlat = new float[rows * Math.max(longest - 1, 1)];
        int[] counts = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < ids[r].length; i++) {
                flat[r * longest + i] = ids[r][i];
                maskFlat[r * longest + i] = 1;
                if (i >= firstScored[r]) {           // predicted from position i - 1
                    scoredFlat[r * (longest - 1) + i - 1] = 1;
                    counts[r]++;
                }
            }
        }
        List<ContinuationScore> out = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            double[] sums = new double[rows];
            if (longest > 1) {
                NDArray wrapped = scope.create(flat, new Shape(rows, longest));
                NDArray idArr = wrapped.duplicate();     // owned by PyTorch: views of a Java-backed array outlive its buffer
                wrapped.close();
                NDArray logits = run(scope, idArr, scope.create(maskFlat, new Shape(rows, longest)), null, null, null, true);
                NDArray logp = logits.get(":, :-1, :").logSoftmax(2);
                NDArray next = idArr.get(":, 1:").expandDims(2);
                NDArray picked = logp.gather(next, 2).squeeze(2);                         // [rows, longest-1]
                NDArray scored = scope.create(scoredFlat, new Shape(rows, longest - 1)).toDevice(device, false);
                float[] s = picked.mul(scored).sum(new int[] {1}).toFloatArray();
                for (int r = 0; r < rows; r++) sums[r] = s[r];
            }
            for (int r = 0; r < rows; r++) out.add(new ContinuationScore(continuations.get(r), sums[r], counts[r]));
        }
        return out;
    }

    @Override
    public List<TokenProbability> nextTokens(String prompt, int k) {
        int[] ids = promptIds(prompt);
        List<TokenProbability> out = new ArrayList<>();
        try (GradMode off = GradMode.off(); NDManager scope = manager.newSubManager()) {
            NDArray probs = forward(scope, ids, Taps.none()).get(ids.length - 1).softmax(0).get(":" + decodable());
            var top = probs.topK(Math.min(k, decodable()), 0);
            float[] p = top.get(0).toFloatArray();
            long[] id = top.get(1).toLongArray();
            for (int i = 0; i < p.length; i++)
                out.add(new TokenProbability((int) id[i], tokenizer.decode(new int[] {(int) id[i]}), p[i]));
        }
        return out;
    }

    // ---------------------------------------------------------------- generation

    @Override
    public Generation generate(String prompt, GenerationConfig config, Consumer<String> onToken) {
        return generate(promptIds(prompt), config, onToken);
    }

    /**
     * Generates after the given prompt tokens. With {@code config.useCache()} each step feeds only the new
     * token and reuses the keys and values of earlier tokens; without, each step reruns the whole sequence.
     * Stops at EOS (config.json's eos_token_id, not included in the text), at a stop string (text cut before
     * it), at max tokens, at the model's last position, or when the thread is interrupted ("cancelled").
     */
    public Generation generate(int[] promptIds, GenerationConfig config, Consumer<String> onToken) {
        if (!spec.mask().causal())
            throw new IllegalStateException("A bidirectional encoder does not generate text");
        if (promptIds.length == 0) throw new IllegalArgumentException("The prompt has no tokens");
        long start = System.nanoTime();
        Sampler sampler = new Sampler(config.temperature(), config.topK(), config.topP(), config.seed());
        TextStream generated = new TextStream(tokenizer, config.stopStrings(), onToken);
        String reason = "length";
        KvCache cache = config.useCache() ? new KvCache(manager, spec.layers()) : null;
        try (GradMode off = GradMode.off()) {
            int[] feed = promptIds;
            while (generated.size() < config.maxNewTokens()) {
                if (Thread.currentThread().isInterrupted()) { reason = "cancelled"; break; }
                int length = promptIds.length + generated.size();
                if (length > spec.maxPositions() || cache != null && cache.length() + feed.length > spec.maxPositions()) break;
                int next;
                try (NDManager step = manager.newSubManager()) {
                    NDArray logits = run(step, idsArray(step, feed), null, null, null, cache, true);
                    next = sampler.next(logits.get(0, feed.length - 1).get(":" + decodable()));
                }
                if (isEos(next)) { reason = "eos"; break; }
                if (generated.add(next)) { reason = "stop"; break; }
                if (cache != null) {
                    feed = new int[] {next};
                } else {
                    feed = new int[promptIds.length + generated.size()];
                    System.arraycopy(promptIds, 0, feed, 0, promptIds.length);
                    for (int i = 0; i < generated.size(); i++) feed[promptIds.length + i] = generated.get(i);
                }
            }
        } finally {
            if (cache != null) cache.close();
        }
        return generated.finish(reason, promptIds.length, start);
    }

    /**
     * Token ids the tokenizer can decode. Embeddings are often padded beyond the tokenizer (GPT-J: 50400
     * rows, 50257 tokens); generation never picks those rows, which no text stands for.
     */
    private int decodable() {
        return tokenizer == null ? spec.vocabSize() : Math.min(spec.vocabSize(), tokenizer.vocabularySize());
    }

    private boolean isEos(int token) {
        for (int e : eosTokenIds) if (e == token) return true;
        return false;
    }

    /**
     * Encodes text as the model expects it: with the tokenizer's special tokens (LLaMA's BOS) when it is a
     * tokenizer.json tokenizer, as Hugging Face's {@code tokenizer(text)} does.
     */
    public Encoding encode(String text) {
        return tokenizer instanceof HfTokenizer hf ? hf.encode(text, true) : tokenizer.encode(text);
    }

    private int[] promptIds(String prompt) {
        int[] ids = encode(prompt).ids();
        if (ids.length == 0) throw new IllegalArgumentException("The prompt \"" + prompt + "\" has no tokens");
        return ids;
    }

    // ---------------------------------------------------------------- parameters

    /**
     * Every parameter by its {@link WeightLayout} name (live arrays; tied models have no lm_head.weight).
     * An array computed from a parameter (e.g. {@code W.add(delta)}) belongs to the model's manager until
     * attached to another, as DJL attaches results to the first operand's manager.
     */
    public Map<String, NDArray> parameters() { return Collections.unmodifiableMap(params); }

    /** One parameter by its {@link WeightLayout} name, e.g. {@code WeightLayout.down(5) + ".weight"}. */
    public NDArray parameter(String layoutName) {
        NDArray a = params.get(layoutName);
        if (a == null) throw new IllegalArgumentException("No parameter '" + layoutName + "'; see WeightLayout for the names");
        return a;
    }

    /**
     * Replaces a parameter with a copy of {@code value} (same shape; converted to the model's dtype and
     * device). Not to be called while a forward pass runs.
     */
    public synchronized void setParameter(String layoutName, NDArray value) {
        NDArray old = parameter(layoutName);
        if (!old.getShape().equals(value.getShape()))
            throw new IllegalArgumentException("Parameter " + layoutName + " is " + old.getShape() + ", not " + value.getShape());
        NDArray copy = value.toDevice(device, true);
        NDArray typed = copy.toType(old.getDataType(), false);
        copy.attach(manager);
        typed.attach(manager);
        if (typed != copy) copy.close();
        params.put(layoutName, typed);
        net = buildNet();
        old.close();
    }

    // ---------------------------------------------------------------- description

    public TransformerSpec spec() { return spec; }

    /** The Hugging Face config.json this model writes on save (eos ids and other original fields kept). */
    public JsonNode config() { return config.deepCopy(); }

    /** EOS token ids from config.json (empty when it names none). */
    public int[] eosTokenIds() { return eosTokenIds.clone(); }

    /** Every tap point of this model, in forward order. */
    public Set<String> tapPoints() { return tapPoints; }

    // ---------------------------------------------------------------- as a token model (training)

    @Override public boolean bidirectional() { return spec.mask() == TransformerSpec.MaskKind.BIDIRECTIONAL; }

    @Override public int vocabSize() { return spec.vocabSize(); }

    @Override public int width() { return spec.dModel(); }

    @Override public int maxPositions() { return spec.maxPositions(); }

    /**
     * The final-norm hidden states, the same pass as {@link #forward(NDManager, NDArray, NDArray, NDArray, Taps)} without
     * the LM head; segments feed the segment embedding and the causal_with_prefix mask.
     */
    @Override
    public NDArray hidden(NDManager scope, NDArray ids, NDArray mask, NDArray segments) {
        return run(scope, ids, mask, segments, Taps.none(), null, false);
    }

    @Override
    public NDArray logits(NDManager scope, NDArray hidden) {
        return unembed(scope, hidden, false);
    }

    /** The DJL device holding the weights. */
    public Device djlDevice() { return device; }

    /** The DJL dtype of the weights (norm weights are float32). */
    public DataType dataType() { return dtype; }

    @Override public String name() { return name; }

    @Override public Path directory() { return directory; }

    @Override public String summary() { return spec.describe(); }

    @Override
    public long parameterCount() {
        long n = 0;
        for (NDArray a : params.values()) n += a.getShape().size();
        return n;
    }

    @Override public String dtype() { return LoadOptions.dtypeName(dtype); }

    @Override public String device() { return MemoryEstimate.deviceName(device); }

    @Override
    public long weightBytes() {
        long n = 0;
        for (NDArray a : params.values()) n += a.getShape().size() * a.getDataType().getNumOfBytes();
        return n;
    }

    @Override public TextTokenizer tokenizer() { return tokenizer; }

    /** Arrays the model's manager holds (weights, tables, anything a pass left behind): for leak tests. */
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
