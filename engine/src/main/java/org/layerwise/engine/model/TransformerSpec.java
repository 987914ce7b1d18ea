package org.layerwise.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * Everything the one transformer implementation needs to know about an architecture. GPT-2, GPT-J and
 * LLaMA (with grouped-query attention; Mistral) are presets read from a Hugging Face {@code config.json};
 * anything else composable here is the {@code layerwise} model type, whose config.json carries this record.
 *
 * @param modelType        "gpt2", "gptj", "llama", "mistral" or "layerwise" (decides weight names and config format)
 * @param vocabSize        rows of the embedding and the LM head
 * @param dModel           width of the residual stream
 * @param layers           number of blocks
 * @param heads            query heads
 * @param kvHeads          key/value heads; fewer than {@code heads} is grouped-query attention
 * @param headDim          width of one head
 * @param maxPositions     longest sequence (learned position table size, rotary table size)
 * @param learnedPositions add a learned position embedding to the token embedding (GPT-2)
 * @param rotary           rotary position style, or NONE
 * @param rotaryDim        leading dims of each head that rotate (GPT-J: 64 of 256); the rest pass through
 * @param ropeTheta        rotary base
 * @param norm             LayerNorm (weight and bias) or RMSNorm (weight only)
 * @param normEps          epsilon of every norm
 * @param residual         SEQUENTIAL: x + attn(ln1 x), then + mlp(ln2 ·); PARALLEL: x + attn(ln1 x) + mlp(ln1 x)
 * @param qkvBias          q, k and v projections have biases
 * @param outBias          the attention output projection has a bias
 * @param mlp              DENSE: down(act(up x)); GATED: down(act(gate x) * up x)
 * @param activation       the MLP non-linearity
 * @param intermediateSize hidden width of the MLP
 * @param mlpBias          the MLP projections have biases
 * @param finalNorm        a norm before the LM head
 * @param tiedEmbeddings   the LM head reuses the token embedding
 * @param lmHeadBias       the LM head has a bias (GPT-J)
 * @param mask             CAUSAL for language models, BIDIRECTIONAL for BERT-style encoders, CAUSAL_WITH_PREFIX
 *                         for prefix language models (segment-1 tokens see each other; see {@link MaskKind})
 * @param slidingWindow    a causal query sees only the last {@code slidingWindow} keys (Mistral); 0 for no limit
 * @param normPosition     PRE: norms before attention and MLP (GPT-2, LLaMA); POST: after each residual sum (BERT);
 *                         null reads as PRE (configs written before the switch existed)
 * @param embeddingNorm    a LayerNorm on the summed embeddings (BERT's; a LayerNorm whatever {@code norm} is, as in
 *                         TencentPretrain's embedding)
 * @param segmentEmbedding add a segment table [3, d] (0 padding, 1 sentence A, 2 sentence B) to the embedding
 * @param sinusoidalPositions add fixed sinusoidal positions (Vaswani et al.; no parameters) to the embedding
 */
public record TransformerSpec(
        String modelType,
        int vocabSize, int dModel, int layers, int heads, int kvHeads, int headDim, int maxPositions,
        boolean learnedPositions, RotaryStyle rotary, int rotaryDim, double ropeTheta,
        NormKind norm, double normEps, Residual residual,
        boolean qkvBias, boolean outBias,
        MlpKind mlp, Activation activation, int intermediateSize, boolean mlpBias,
        boolean finalNorm, boolean tiedEmbeddings, boolean lmHeadBias, MaskKind mask, int slidingWindow,
        NormPosition normPosition, boolean embeddingNorm, boolean segmentEmbedding, boolean sinusoidalPositions) {

    public enum RotaryStyle {
        NONE,
        /** pairs (2i, 2i+1), as GPT-J */
        INTERLEAVED,
        /** pairs (i, i + d/2), "rotate_half", as LLaMA and GPT-NeoX */
        HALF
    }

    public enum NormKind { LAYER, RMS }

    public enum Residual { SEQUENTIAL, PARALLEL }

    public enum MlpKind { DENSE, GATED }

    public enum Activation {
        /** tanh approximation of GELU, Hugging Face "gelu_new" */
        GELU_NEW("gelu_new"),
        /** exact (erf) GELU */
        GELU("gelu"),
        RELU("relu"),
        SILU("silu");

        private final String hfName;

        Activation(String hfName) { this.hfName = hfName; }

        public String hfName() { return hfName; }

        public static Activation fromHuggingFace(String name) {
            switch (name) {
                case "gelu_new": case "gelu_pytorch_tanh": case "gelu_fast": return GELU_NEW;
                case "gelu": return GELU;
                case "relu": return RELU;
                case "silu": case "swish": return SILU;
                default: throw new IllegalArgumentException("Unsupported activation function '" + name
                        + "'; supported: gelu_new, gelu_pytorch_tanh, gelu, relu, silu");
            }
        }
    }

    public enum MaskKind {
        CAUSAL,
        BIDIRECTIONAL,
        /**
         * TencentPretrain's causal_with_prefix: a key of segment 1 (the prefix) is visible to every query, any other
         * key only to the queries at or after it. The segments come with the forward pass; a pass without segments
         * has no prefix and is plainly causal (so generation and the lm target behave as in a causal model).
         */
        CAUSAL_WITH_PREFIX;

        /** Whether a query never sees keys after it, unless they are in the prefix. */
        public boolean causal() { return this != BIDIRECTIONAL; }
    }

    public enum NormPosition { PRE, POST }

    /** Model types {@link #fromHuggingFaceConfig} reads. */
    public static final List<String> SUPPORTED_MODEL_TYPES = List.of("gpt2", "gptj", "llama", "mistral", "layerwise");

    public TransformerSpec {
        if (normPosition == null) normPosition = NormPosition.PRE;
        require(modelType != null && !modelType.isBlank(), "modelType is required");
        require(vocabSize > 0 && dModel > 0 && layers > 0 && heads > 0 && kvHeads > 0 && headDim > 0
                && maxPositions > 0 && intermediateSize > 0, "sizes must be positive in " + modelType + " spec");
        require(heads % kvHeads == 0, "heads (" + heads + ") must be a multiple of kv heads (" + kvHeads + ")");
        require(rotary != null && norm != null && residual != null && mlp != null && activation != null && mask != null,
                "every architectural choice must be set");
        if (rotary != RotaryStyle.NONE) {
            require(rotaryDim > 0 && rotaryDim <= headDim && rotaryDim % 2 == 0,
                    "rotary_dim must be even and in (0, head_dim=" + headDim + "], got " + rotaryDim);
            require(ropeTheta > 0, "rope_theta must be positive");
        }
        require(normEps > 0, "norm epsilon must be positive");
        require(slidingWindow >= 0, "sliding window must be ≥ 0 (0: none)");
        require(normPosition == NormPosition.PRE || residual == Residual.SEQUENTIAL,
                "post-LN blocks need the sequential residual (a parallel block has no sum to normalise between its branches)");
        require(!sinusoidalPositions || dModel % 2 == 0, "sinusoidal positions need an even width, not " + dModel);
    }

    /** No switch beyond the decoder-only families (GPT-2, GPT-J, LLaMA) is on: pre-LN, no embedding extras. */
    private boolean plainEmbeddingAndBlocks() {
        return normPosition == NormPosition.PRE && !embeddingNorm && !segmentEmbedding && !sinusoidalPositions;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** Key/value heads sharing one query group. */
    public int queriesPerKv() { return heads / kvHeads; }

    /** Rows of the fused q, k, v projection. */
    public int qkvRows() { return (heads + 2 * kvHeads) * headDim; }

    public Builder toBuilder() { return new Builder(this); }

    public static Builder builder() { return new Builder(); }

    /** Short one-line description, e.g. "llama · 4 layers · d=64 · 4/2 heads". */
    public String describe() {
        String h = kvHeads == heads ? heads + " heads" : heads + "/" + kvHeads + " heads";
        return modelType + " · " + layers + " layers · d=" + dModel + " · " + h;
    }

    // ---------------------------------------------------------------- Hugging Face config

    /**
     * The spec of a Hugging Face {@code config.json}. Throws IllegalArgumentException for a model type
     * other than {@link #SUPPORTED_MODEL_TYPES} or for options the engine does not implement (so a model is
     * never run with silently different semantics).
     */
    public static TransformerSpec fromHuggingFaceConfig(JsonNode config) {
        String type = text(config, "model_type", null);
        if (type == null) throw new IllegalArgumentException("config.json has no model_type; supported: "
                + String.join(", ", SUPPORTED_MODEL_TYPES));
        switch (type) {
            case "gpt2": return fromGpt2(config);
            case "gptj": return fromGptj(config);
            case "llama": case "mistral": return fromLlama(config, type);
            case "layerwise": return fromLayerwise(config);
            default: throw new IllegalArgumentException("Unsupported model_type '" + type + "'; supported: "
                    + String.join(", ", SUPPORTED_MODEL_TYPES));
        }
    }

    private static TransformerSpec fromGpt2(JsonNode c) {
        if (bool(c, "scale_attn_by_inverse_layer_idx", false) || bool(c, "reorder_and_upcast_attn", false))
            throw new IllegalArgumentException("gpt2 options scale_attn_by_inverse_layer_idx and "
                    + "reorder_and_upcast_attn are not supported");
        if (!bool(c, "scale_attn_weights", true))
            throw new IllegalArgumentException("gpt2 with scale_attn_weights=false is not supported");
        int d = integer(c, "n_embd", 768);
        int heads = integer(c, "n_head", 12);
        return builder().modelType("gpt2")
                .vocabSize(integer(c, "vocab_size", 50257)).dModel(d).layers(integer(c, "n_layer", 12))
                .heads(heads).kvHeads(heads).headDim(d / heads).maxPositions(integer(c, "n_positions", 1024))
                .learnedPositions(true).rotary(RotaryStyle.NONE, 0, 10000)
                .norm(NormKind.LAYER, dbl(c, "layer_norm_epsilon", 1e-5)).residual(Residual.SEQUENTIAL)
                .qkvBias(true).outBias(true)
                .mlp(MlpKind.DENSE, Activation.fromHuggingFace(text(c, "activation_function", "gelu_new")),
                        integer(c, "n_inner", 4 * d), true)
                .finalNorm(true).tiedEmbeddings(bool(c, "tie_word_embeddings", true)).lmHeadBias(false)
                .mask(MaskKind.CAUSAL).build();
    }

    private static TransformerSpec fromGptj(JsonNode c) {
        int d = integer(c, "n_embd", 4096);
        int heads = integer(c, "n_head", 16);
        int headDim = d / heads;
        return builder().modelType("gptj")
                .vocabSize(integer(c, "vocab_size", 50400)).dModel(d).layers(integer(c, "n_layer", 28))
                .heads(heads).kvHeads(heads).headDim(headDim).maxPositions(integer(c, "n_positions", 2048))
                .learnedPositions(false).rotary(RotaryStyle.INTERLEAVED, integer(c, "rotary_dim", headDim), 10000)
                .norm(NormKind.LAYER, dbl(c, "layer_norm_epsilon", 1e-5)).residual(Residual.PARALLEL)
                .qkvBias(false).outBias(false)
                .mlp(MlpKind.DENSE, Activation.fromHuggingFace(text(c, "activation_function", "gelu_new")),
                        integer(c, "n_inner", 4 * d), true)
                .finalNorm(true).tiedEmbeddings(bool(c, "tie_word_embeddings", false)).lmHeadBias(true)
                .mask(MaskKind.CAUSAL).build();
    }

    private static TransformerSpec fromLlama(JsonNode c, String type) {
        double theta = dbl(c, "rope_theta", 10000);
        JsonNode scaling = c.get("rope_scaling");                      // transformers 4.x
        if (scaling != null && !scaling.isNull() && !"default".equals(text(scaling, "rope_type", text(scaling, "type", ""))))
            throw new IllegalArgumentException(type + " with rope_scaling " + scaling + " is not supported");
        JsonNode rope = c.get("rope_parameters");                      // transformers 5.x
        if (rope != null && rope.isObject()) {
            String ropeType = text(rope, "rope_type", "default");
            if (!"default".equals(ropeType))
                throw new IllegalArgumentException(type + " with rope_type '" + ropeType + "' is not supported (only default rotary)");
            theta = dbl(rope, "rope_theta", theta);
        }
        int d = integer(c, "hidden_size", 4096);
        int heads = integer(c, "num_attention_heads", 32);
        int headDim = integer(c, "head_dim", d / heads);
        boolean attnBias = bool(c, "attention_bias", false);
        return builder().modelType(type)
                .vocabSize(integer(c, "vocab_size", 32000)).dModel(d).layers(integer(c, "num_hidden_layers", 32))
                .heads(heads).kvHeads(integer(c, "num_key_value_heads", heads)).headDim(headDim)
                .maxPositions(integer(c, "max_position_embeddings", 2048))
                .learnedPositions(false).rotary(RotaryStyle.HALF, headDim, theta)
                .norm(NormKind.RMS, dbl(c, "rms_norm_eps", 1e-6)).residual(Residual.SEQUENTIAL)
                .qkvBias(attnBias).outBias(attnBias)
                .mlp(MlpKind.GATED, Activation.fromHuggingFace(text(c, "hidden_act", "silu")),
                        integer(c, "intermediate_size", 11008), bool(c, "mlp_bias", false))
                .finalNorm(true).tiedEmbeddings(bool(c, "tie_word_embeddings", false)).lmHeadBias(false)
                .mask(MaskKind.CAUSAL).slidingWindow("mistral".equals(type) ? integer(c, "sliding_window", 0) : 0).build();
    }

    private static TransformerSpec fromLayerwise(JsonNode c) {
        JsonNode s = c.get("layerwise_spec");
        if (s == null || !s.isObject())
            throw new IllegalArgumentException("config.json of model_type layerwise has no layerwise_spec object");
        try {
            TransformerSpec spec = MAPPER.treeToValue(s, TransformerSpec.class);
            return spec.toBuilder().modelType("layerwise").build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("layerwise_spec in config.json is invalid: " + e.getOriginalMessage(), e);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A Hugging Face config.json for this spec, starting from {@code original} (kept fields such as
     * eos_token_id survive) with every architectural field overwritten.
     */
    public ObjectNode toHuggingFaceConfig(JsonNode original, String torchDtype) {
        ObjectNode c = original != null && original.isObject() ? ((ObjectNode) original).deepCopy() : MAPPER.createObjectNode();
        c.put("model_type", modelType);
        c.put("vocab_size", vocabSize);
        c.put("tie_word_embeddings", tiedEmbeddings);
        if (torchDtype != null) {
            c.put("torch_dtype", torchDtype);   // transformers 4.x
            c.put("dtype", torchDtype);         // transformers 5.x
        }
        switch (modelType) {
            case "gpt2":
                requireMatches(slidingWindow == 0 && plainEmbeddingAndBlocks());
                requireMatches(learnedPositions && rotary == RotaryStyle.NONE && norm == NormKind.LAYER
                        && residual == Residual.SEQUENTIAL && qkvBias && outBias && mlp == MlpKind.DENSE && mlpBias
                        && heads == kvHeads && headDim * heads == dModel && finalNorm && !lmHeadBias && mask == MaskKind.CAUSAL);
                c.putArray("architectures").add("GPT2LMHeadModel");
                c.put("n_embd", dModel); c.put("n_layer", layers); c.put("n_head", heads);
                c.put("n_positions", maxPositions); c.put("n_ctx", maxPositions); c.put("n_inner", intermediateSize);
                c.put("activation_function", activation.hfName()); c.put("layer_norm_epsilon", normEps);
                break;
            case "gptj":
                requireMatches(slidingWindow == 0 && plainEmbeddingAndBlocks());
                requireMatches(!learnedPositions && rotary == RotaryStyle.INTERLEAVED && norm == NormKind.LAYER
                        && residual == Residual.PARALLEL && !qkvBias && !outBias && mlp == MlpKind.DENSE && mlpBias
                        && heads == kvHeads && headDim * heads == dModel && finalNorm && lmHeadBias
                        && ropeTheta == 10000 && mask == MaskKind.CAUSAL);
                c.putArray("architectures").add("GPTJForCausalLM");
                c.put("n_embd", dModel); c.put("n_layer", layers); c.put("n_head", heads);
                c.put("n_positions", maxPositions); c.put("rotary_dim", rotaryDim); c.put("n_inner", intermediateSize);
                c.put("activation_function", activation.hfName()); c.put("layer_norm_epsilon", normEps);
                break;
            case "llama": case "mistral":
                requireMatches(plainEmbeddingAndBlocks());
                requireMatches(!learnedPositions && rotary == RotaryStyle.HALF && rotaryDim == headDim
                        && norm == NormKind.RMS && residual == Residual.SEQUENTIAL && qkvBias == outBias
                        && mlp == MlpKind.GATED && finalNorm && !lmHeadBias && mask == MaskKind.CAUSAL);
                c.putArray("architectures").add("llama".equals(modelType) ? "LlamaForCausalLM" : "MistralForCausalLM");
                c.put("hidden_size", dModel); c.put("num_hidden_layers", layers);
                c.put("num_attention_heads", heads); c.put("num_key_value_heads", kvHeads); c.put("head_dim", headDim);
                c.put("max_position_embeddings", maxPositions); c.put("intermediate_size", intermediateSize);
                c.put("hidden_act", activation.hfName()); c.put("rms_norm_eps", normEps); c.put("rope_theta", ropeTheta);
                c.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", ropeTheta);
                c.remove("rope_scaling");
                c.put("attention_bias", qkvBias); c.put("mlp_bias", mlpBias);
                if ("mistral".equals(modelType)) {
                    if (slidingWindow > 0) c.put("sliding_window", slidingWindow); else c.putNull("sliding_window");
                } else requireMatches(slidingWindow == 0);
                break;
            case "layerwise":
                c.set("layerwise_spec", MAPPER.valueToTree(this));
                break;
            default:
                throw new IllegalArgumentException("Unsupported model_type '" + modelType + "'; supported: "
                        + String.join(", ", SUPPORTED_MODEL_TYPES));
        }
        return c;
    }

    private void requireMatches(boolean ok) {
        if (!ok) throw new IllegalArgumentException("This spec cannot be written as a " + modelType
                + " config; use model type 'layerwise' for a custom architecture");
    }

    // ---------------------------------------------------------------- JSON accessors

    private static String text(JsonNode c, String key, String fallback) {
        JsonNode v = c.get(key);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static int integer(JsonNode c, String key, int fallback) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) return fallback;
        if (!v.canConvertToInt()) throw new IllegalArgumentException("config.json: " + key + " must be an integer, got " + v);
        return v.asInt();
    }

    private static double dbl(JsonNode c, String key, double fallback) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber()) throw new IllegalArgumentException("config.json: " + key + " must be a number, got " + v);
        return v.asDouble();
    }

    private static boolean bool(JsonNode c, String key, boolean fallback) {
        JsonNode v = c.get(key);
        return v == null || v.isNull() ? fallback : v.asBoolean();
    }

    // ---------------------------------------------------------------- builder

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private String modelType = "layerwise";
        private int vocabSize, dModel, layers, heads, kvHeads, headDim, maxPositions = 2048;
        private boolean learnedPositions;
        private RotaryStyle rotary = RotaryStyle.HALF;
        private int rotaryDim;
        private double ropeTheta = 10000;
        private NormKind norm = NormKind.RMS;
        private double normEps = 1e-6;
        private Residual residual = Residual.SEQUENTIAL;
        private boolean qkvBias, outBias;
        private MlpKind mlp = MlpKind.GATED;
        private Activation activation = Activation.SILU;
        private int intermediateSize;
        private boolean mlpBias;
        private boolean finalNorm = true, tiedEmbeddings, lmHeadBias;
        private MaskKind mask = MaskKind.CAUSAL;
        private int slidingWindow;
        private NormPosition normPosition = NormPosition.PRE;
        private boolean embeddingNorm, segmentEmbedding, sinusoidalPositions;

        private Builder() {}

        private Builder(TransformerSpec s) {
            modelType = s.modelType; vocabSize = s.vocabSize; dModel = s.dModel; layers = s.layers; heads = s.heads;
            kvHeads = s.kvHeads; headDim = s.headDim; maxPositions = s.maxPositions; learnedPositions = s.learnedPositions;
            rotary = s.rotary; rotaryDim = s.rotaryDim; ropeTheta = s.ropeTheta; norm = s.norm; normEps = s.normEps;
            residual = s.residual; qkvBias = s.qkvBias; outBias = s.outBias; mlp = s.mlp; activation = s.activation;
            intermediateSize = s.intermediateSize; mlpBias = s.mlpBias; finalNorm = s.finalNorm;
            tiedEmbeddings = s.tiedEmbeddings; lmHeadBias = s.lmHeadBias; mask = s.mask; slidingWindow = s.slidingWindow;
            normPosition = s.normPosition; embeddingNorm = s.embeddingNorm; segmentEmbedding = s.segmentEmbedding;
            sinusoidalPositions = s.sinusoidalPositions;
        }

        public Builder modelType(String v) { modelType = v.toLowerCase(Locale.ROOT); return this; }
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        public Builder dModel(int v) { dModel = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        /** Sets heads; kv heads and head dim follow unless set afterwards. */
        public Builder heads(int v) { heads = v; return this; }
        public Builder kvHeads(int v) { kvHeads = v; return this; }
        public Builder headDim(int v) { headDim = v; return this; }
        public Builder maxPositions(int v) { maxPositions = v; return this; }
        public Builder learnedPositions(boolean v) { learnedPositions = v; return this; }
        public Builder rotary(RotaryStyle style, int dim, double theta) { rotary = style; rotaryDim = dim; ropeTheta = theta; return this; }
        public Builder norm(NormKind kind, double eps) { norm = kind; normEps = eps; return this; }
        public Builder residual(Residual v) { residual = v; return this; }
        public Builder qkvBias(boolean v) { qkvBias = v; return this; }
        public Builder outBias(boolean v) { outBias = v; return this; }
        public Builder mlp(MlpKind kind, Activation act, int intermediate, boolean bias) {
            mlp = kind; activation = act; intermediateSize = intermediate; mlpBias = bias; return this;
        }
        public Builder finalNorm(boolean v) { finalNorm = v; return this; }
        public Builder tiedEmbeddings(boolean v) { tiedEmbeddings = v; return this; }
        public Builder lmHeadBias(boolean v) { lmHeadBias = v; return this; }
        public Builder mask(MaskKind v) { mask = v; return this; }
        public Builder slidingWindow(int v) { slidingWindow = v; return this; }
        public Builder normPosition(NormPosition v) { normPosition = v; return this; }
        public Builder embeddingNorm(boolean v) { embeddingNorm = v; return this; }
        public Builder segmentEmbedding(boolean v) { segmentEmbedding = v; return this; }
        public Builder sinusoidalPositions(boolean v) { sinusoidalPositions = v; return this; }

        public TransformerSpec build() {
            int kv = kvHeads == 0 ? heads : kvHeads;
            int hd = headDim == 0 && heads > 0 ? dModel / heads : headDim;
            int rd = rotary != RotaryStyle.NONE && rotaryDim == 0 ? hd : (rotary == RotaryStyle.NONE ? 0 : rotaryDim);
            return new TransformerSpec(modelType, vocabSize, dModel, layers, heads, kv, hd, maxPositions,
                    learnedPositions, rotary, rd, ropeTheta, norm, normEps, residual, qkvBias, outBias,
                    mlp, activation, intermediateSize, mlpBias, finalNorm, tiedEmbeddings, lmHeadBias, mask, slidingWindow,
                    normPosition, embeddingNorm, segmentEmbedding, sinusoidalPositions);
        }
    }
}
