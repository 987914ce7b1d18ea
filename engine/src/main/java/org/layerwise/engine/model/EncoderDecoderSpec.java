package org.layerwise.engine.model;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The architecture of an {@link EncoderDecoderModel}: T5 (pre-LN, RMS norm without bias, no biases, relative position
 * bias, one word embedding shared by both stacks and the LM head) and the variants the builder composes (LayerNorm,
 * biases, learned positions, a separate decoder embedding and LM head, ...). A spec that T5 can express saves as a
 * Hugging Face "t5" folder ({@link #t5Compatible()}); any other as "layerwise-seq2seq", with the same tensor names plus
 * the extra tensors of its options.
 *
 * @param vocabSize           rows of the word embedding and the LM head
 * @param dModel              width of the residual stream (T5's d_model)
 * @param encoderLayers       encoder blocks (num_layers)
 * @param decoderLayers       decoder blocks (num_decoder_layers)
 * @param heads               attention heads (num_heads)
 * @param headDim             width of one head (d_kv; need not be dModel / heads)
 * @param feedForward         hidden width of the feed-forward network (d_ff)
 * @param norm                RMS (T5LayerNorm: weight only) or LAYER (weight and bias)
 * @param normEps             epsilon of every norm (layer_norm_epsilon)
 * @param mlp                 DENSE: wo(act(wi x)); GATED: wo(act(wi_0 x) ⊙ wi_1 x)
 * @param activation          the feed-forward non-linearity
 * @param attentionBias       q, k, v and o projections have biases (not T5)
 * @param mlpBias             the feed-forward projections have biases (not T5)
 * @param relativePosition    T5's bucketed relative position bias, computed in block 0 of each stack and shared
 * @param buckets             relative_attention_num_buckets
 * @param maxDistance         relative_attention_max_distance
 * @param encoderPositions    a learned absolute position table added to the encoder's input (not T5)
 * @param decoderPositions    a learned absolute position table added to the decoder's input (not T5)
 * @param maxPositions        longest source and longest decoder input
 * @param causalEncoder       the encoder's self-attention is causal (not T5; T5 encoders see the whole source)
 * @param sharedEmbedding     the decoder reads the encoder's word embedding (T5's "shared"); else its own table
 * @param tiedHead            the LM head is the shared embedding, with T5's d_model^-0.5 rescale of the decoder output
 * @param lmHeadBias          the LM head has a bias (not T5)
 * @param decoderStartTokenId the first decoder input (T5: the pad token)
 * @param padTokenId          pad_token_id written to config.json
 * @param eosTokenId          end of sequence (generation stops there), or -1 when the vocabulary has none
 */
public record EncoderDecoderSpec(
        int vocabSize, int dModel, int encoderLayers, int decoderLayers, int heads, int headDim, int feedForward,
        TransformerSpec.NormKind norm, double normEps, TransformerSpec.MlpKind mlp, TransformerSpec.Activation activation,
        boolean attentionBias, boolean mlpBias, boolean relativePosition, int buckets, int maxDistance,
        boolean encoderPositions, boolean decoderPositions, int maxPositions, boolean causalEncoder,
        boolean sharedEmbedding, boolean tiedHead, boolean lmHeadBias,
        int decoderStartTokenId, int padTokenId, int eosTokenId) {

    public static final String T5 = "t5";
    public static final String LAYERWISE = "layerwise-seq2seq";
    private static final ObjectMapper JSON = new ObjectMapper();

    public EncoderDecoderSpec {
        require(vocabSize > 0 && dModel > 0 && encoderLayers > 0 && decoderLayers > 0 && heads > 0 && headDim > 0
                && feedForward > 0 && maxPositions > 0, "sizes of an encoder-decoder spec must be positive");
        require(norm != null && mlp != null && activation != null, "norm, feed-forward and activation must be set");
        require(normEps > 0, "layer_norm_epsilon must be positive");
        require(!relativePosition || buckets >= 2 && maxDistance > buckets / 2,
                "relative position bias needs at least 2 buckets and a max distance beyond the exact buckets");
        require(!tiedHead || sharedEmbedding, "a tied LM head needs the shared embedding");
        for (int id : new int[] {decoderStartTokenId, padTokenId})
            require(id >= 0 && id < vocabSize, "decoder_start_token_id and pad_token_id must be in [0, " + vocabSize + ")");
        require(eosTokenId < vocabSize, "eos_token_id must be below vocab_size " + vocabSize);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** Whether T5ForConditionalGeneration runs this spec exactly (so it saves as model_type "t5"). */
    public boolean t5Compatible() {
        return norm == TransformerSpec.NormKind.RMS && !attentionBias && !mlpBias && relativePosition
                && !encoderPositions && !decoderPositions && !causalEncoder && sharedEmbedding && !lmHeadBias
                && feedForwardProj() != null;
    }

    public String modelType() { return t5Compatible() ? T5 : LAYERWISE; }

    /**
     * T5's feed_forward_proj for the feed-forward choice, or null when T5 cannot express it: transformers reads
     * "gated-gelu" as the tanh GELU (gelu_new), so a gated exact GELU has no name.
     */
    String feedForwardProj() {
        boolean gated = mlp == TransformerSpec.MlpKind.GATED;
        if (gated && activation == TransformerSpec.Activation.GELU) return null;
        String act = gated && activation == TransformerSpec.Activation.GELU_NEW ? "gelu" : activation.hfName();
        return gated ? "gated-" + act : act;
    }

    /** One line, e.g. "t5 · 6+6 layers · d=512 · 8 heads". */
    public String describe() {
        return modelType() + " · " + encoderLayers + "+" + decoderLayers + " layers · d=" + dModel + " · " + heads + " heads";
    }

    // ---------------------------------------------------------------- tensors

    /** Every tensor of the model by its saved (Hugging Face T5) name, with its shape, in forward order. */
    public Map<String, Shape> shapes() {
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("shared.weight", new Shape(vocabSize, dModel));
        if (encoderPositions) s.put("encoder.embed_positions.weight", new Shape(maxPositions, dModel));
        for (int i = 0; i < encoderLayers; i++) {
            String b = "encoder.block." + i + ".layer.";
            attention(s, b + "0.SelfAttention", i == 0);
            norm(s, b + "0.layer_norm");
            feedForward(s, b + "1.DenseReluDense");
            norm(s, b + "1.layer_norm");
        }
        norm(s, "encoder.final_layer_norm");
        if (!sharedEmbedding) s.put("decoder.embed_tokens.weight", new Shape(vocabSize, dModel));
        if (decoderPositions) s.put("decoder.embed_positions.weight", new Shape(maxPositions, dModel));
        for (int i = 0; i < decoderLayers; i++) {
            String b = "decoder.block." + i + ".layer.";
            attention(s, b + "0.SelfAttention", i == 0);
            norm(s, b + "0.layer_norm");
            attention(s, b + "1.EncDecAttention", false);
            norm(s, b + "1.layer_norm");
            feedForward(s, b + "2.DenseReluDense");
            norm(s, b + "2.layer_norm");
        }
        norm(s, "decoder.final_layer_norm");
        if (!tiedHead) s.put("lm_head.weight", new Shape(vocabSize, dModel));
        if (lmHeadBias) s.put("lm_head.bias", new Shape(vocabSize));
        return s;
    }

    private void attention(Map<String, Shape> s, String prefix, boolean positionTable) {
        long inner = (long) heads * headDim;
        for (String p : new String[] {"q", "k", "v"}) {
            s.put(prefix + "." + p + ".weight", new Shape(inner, dModel));
            if (attentionBias) s.put(prefix + "." + p + ".bias", new Shape(inner));
        }
        s.put(prefix + ".o.weight", new Shape(dModel, inner));
        if (attentionBias) s.put(prefix + ".o.bias", new Shape(dModel));
        if (positionTable && relativePosition) s.put(prefix + ".relative_attention_bias.weight", new Shape(buckets, heads));
    }

    private void feedForward(Map<String, Shape> s, String prefix) {
        String[] inputs = mlp == TransformerSpec.MlpKind.GATED ? new String[] {"wi_0", "wi_1"} : new String[] {"wi"};
        for (String in : inputs) {
            s.put(prefix + "." + in + ".weight", new Shape(feedForward, dModel));
            if (mlpBias) s.put(prefix + "." + in + ".bias", new Shape(feedForward));
        }
        s.put(prefix + ".wo.weight", new Shape(dModel, feedForward));
        if (mlpBias) s.put(prefix + ".wo.bias", new Shape(dModel));
    }

    private void norm(Map<String, Shape> s, String prefix) {
        s.put(prefix + ".weight", new Shape(dModel));
        if (norm == TransformerSpec.NormKind.LAYER) s.put(prefix + ".bias", new Shape(dModel));
    }

    static boolean isNormTensor(String name) {
        return name.contains("layer_norm.");
    }

    // ---------------------------------------------------------------- config.json

    /** The config.json of this spec: T5's fields (T5ForConditionalGeneration opens a "t5" folder), plus this engine's options. */
    public ObjectNode toConfig(String dtype) {
        ObjectNode c = JSON.createObjectNode();
        boolean t5 = t5Compatible();
        c.putArray("architectures").add(t5 ? "T5ForConditionalGeneration" : "LayerwiseEncoderDecoder");
        c.put("model_type", modelType());
        c.put("vocab_size", vocabSize);
        c.put("d_model", dModel);
        c.put("d_kv", headDim);
        c.put("d_ff", feedForward);
        c.put("num_layers", encoderLayers);
        c.put("num_decoder_layers", decoderLayers);
        c.put("num_heads", heads);
        c.put("relative_attention_num_buckets", buckets);
        c.put("relative_attention_max_distance", maxDistance);
        c.put("dropout_rate", 0.0);
        c.put("layer_norm_epsilon", normEps);
        c.put("initializer_factor", 1.0);
        if (t5) c.put("feed_forward_proj", feedForwardProj());
        c.put("is_encoder_decoder", true);
        c.put("use_cache", true);
        c.put("tie_word_embeddings", tiedHead);
        c.put("decoder_start_token_id", decoderStartTokenId);
        c.put("pad_token_id", padTokenId);
        if (eosTokenId >= 0) c.put("eos_token_id", eosTokenId); else c.putNull("eos_token_id");
        c.put("n_positions", maxPositions);
        if (dtype != null) c.put("torch_dtype", dtype);
        if (!t5) {
            c.put("layer_norm", norm == TransformerSpec.NormKind.RMS ? "rms" : "normal");
            c.put("feed_forward", mlp == TransformerSpec.MlpKind.GATED ? "gated" : "dense");
            c.put("hidden_act", activation.hfName());
            c.put("attention_bias", attentionBias);
            c.put("mlp_bias", mlpBias);
            c.put("relative_attention", relativePosition);
            c.put("encoder_learned_positions", encoderPositions);
            c.put("decoder_learned_positions", decoderPositions);
            c.put("causal_encoder", causalEncoder);
            c.put("share_embeddings", sharedEmbedding);
            c.put("lm_head_bias", lmHeadBias);
        }
        return c;
    }

    /**
     * The spec of a config.json of model_type "t5" (Hugging Face's fields and defaults) or "layerwise-seq2seq".
     * Throws IllegalArgumentException naming the field for anything else.
     */
    public static EncoderDecoderSpec fromConfig(JsonNode c) {
        String type = c.path("model_type").asText("");
        if (!type.equals(T5) && !type.equals(LAYERWISE))
            throw new IllegalArgumentException("model_type '" + type + "' is not an encoder-decoder this engine runs (t5, " + LAYERWISE + ")");
        if (c.path("is_decoder").asBoolean(false)) throw new IllegalArgumentException("a decoder-only T5 config (is_decoder true) is not supported");
        int d = integer(c, "d_model", 512);
        int layers = integer(c, "num_layers", 6);
        boolean lw = type.equals(LAYERWISE);
        TransformerSpec.MlpKind mlp;
        TransformerSpec.Activation act;
        if (lw) {
            mlp = "gated".equals(c.path("feed_forward").asText("dense")) ? TransformerSpec.MlpKind.GATED : TransformerSpec.MlpKind.DENSE;
            act = TransformerSpec.Activation.fromHuggingFace(c.path("hidden_act").asText("relu"));
        } else {
            String proj = c.path("feed_forward_proj").asText("relu");
            String[] parts = proj.split("-");
            if (parts.length > 2 || parts.length == 2 && !parts[0].equals("gated"))
                throw new IllegalArgumentException("feed_forward_proj '" + proj + "' is not '{act}' or 'gated-{act}'");
            mlp = parts.length == 2 ? TransformerSpec.MlpKind.GATED : TransformerSpec.MlpKind.DENSE;
            // transformers reads "gated-gelu" as the tanh approximation
            act = proj.equals("gated-gelu") ? TransformerSpec.Activation.GELU_NEW
                    : TransformerSpec.Activation.fromHuggingFace(parts[parts.length - 1]);
        }
        boolean tied = c.path("tie_word_embeddings").asBoolean(true);
        boolean shared = lw ? c.path("share_embeddings").asBoolean(true) : true;
        JsonNode eos = c.get("eos_token_id");
        int eosId = eos == null ? (lw ? -1 : 1) : eos.isNull() ? -1 : eos.isArray() ? eos.path(0).asInt(-1) : eos.asInt(-1);
        return new EncoderDecoderSpec(integer(c, "vocab_size", 32128), d, layers, integer(c, "num_decoder_layers", layers),
                integer(c, "num_heads", 8), integer(c, "d_kv", 64), integer(c, "d_ff", 2048),
                lw && "normal".equals(c.path("layer_norm").asText("rms")) ? TransformerSpec.NormKind.LAYER : TransformerSpec.NormKind.RMS,
                c.path("layer_norm_epsilon").asDouble(1e-6), mlp, act,
                lw && c.path("attention_bias").asBoolean(false), lw && c.path("mlp_bias").asBoolean(false),
                !lw || c.path("relative_attention").asBoolean(true),
                integer(c, "relative_attention_num_buckets", 32), integer(c, "relative_attention_max_distance", 128),
                lw && c.path("encoder_learned_positions").asBoolean(false), lw && c.path("decoder_learned_positions").asBoolean(false),
                integer(c, "n_positions", 512), lw && c.path("causal_encoder").asBoolean(false),
                shared, tied, lw && c.path("lm_head_bias").asBoolean(false),
                integer(c, "decoder_start_token_id", 0), integer(c, "pad_token_id", 0), eosId);
    }

    private static int integer(JsonNode c, String field, int fallback) {
        JsonNode v = c.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.canConvertToInt() || !v.isIntegralNumber())
            throw new IllegalArgumentException("config field '" + field + "' must be a whole number, got " + v);
        return v.asInt();
    }
}
