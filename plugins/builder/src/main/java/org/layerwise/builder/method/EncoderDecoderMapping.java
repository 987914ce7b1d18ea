package org.layerwise.builder.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.model.EncoderDecoderModel;
import org.layerwise.engine.model.EncoderDecoderSpec;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps a composed encoder-decoder (decoder transformer) onto the engine's {@link EncoderDecoderModel}. The t5-small
 * preset's choices are T5's (pre-LN, rms norm, no biases, dense relu, relative position bias, tied embedding) and save
 * as a Hugging Face "t5" folder; LayerNorm, biases, gated feed-forward, other activations, learned positions
 * ('pos' in embedding / target_embedding), a causal encoder mask, an untied head (with its own decoder embedding) and
 * an LM head bias train too and save as "layerwise-seq2seq". What it does not run is reported, not faked.
 */
public final class EncoderDecoderMapping {
    /** T5's relative attention buckets and distance (ParameterCounts counts 32 buckets per stack). */
    static final int BUCKETS = 32, MAX_DISTANCE = 128;

    private EncoderDecoderMapping() {}

    /** Why the valid encoder-decoder config cannot train here (a recurrent encoder is already refused by validation); empty when it can. */
    public static List<String> problems(ModelConfig c) {
        List<String> r = new ArrayList<>();
        if ("post".equals(c.text("layernorm_positioning"))) r.add("post-LN blocks in an encoder-decoder model (T5 is pre-LN)");
        if (c.flag("parallel_residual")) r.add("parallel_residual in an encoder-decoder model");
        if (!"none".equals(c.text("rotary"))) r.add("rotary positions in an encoder-decoder model (use relative_position or 'pos')");
        if (c.kvHeads() != c.heads()) r.add("grouped-query attention (kv_heads_num " + c.kvHeads() + ") in an encoder-decoder model");
        if ("causal_with_prefix".equals(c.text("mask"))) r.add("the causal_with_prefix mask in an encoder-decoder model");
        if (!c.flag("remove_embedding_layernorm")) r.add("a LayerNorm after the embedding (set remove_embedding_layernorm true)");
        for (String e : c.list("embedding"))
            if (e.equals("seg") || e.equals("sinusoidalpos")) r.add("the '" + e + "' embedding in an encoder-decoder model");
        for (String e : c.list("target_embedding"))
            if (e.equals("seg") || e.equals("sinusoidalpos")) r.add("the '" + e + "' target embedding");
        if (!c.list("target_embedding").contains("word")) r.add("a target_embedding without 'word' (the decoder reads its tokens)");
        List<String> others = c.list("target").stream().filter(t -> !t.equals("lm")).toList();
        if (!others.isEmpty())
            r.add("target " + String.join(", ", others) + " with a decoder (an encoder-decoder model trains with lm: the target given the source)");
        return r;
    }

    /**
     * The engine spec of a valid, trainable encoder-decoder config. The decoder start and pad token are the
     * tokenizer's pad token (&lt;pad&gt; or [PAD]; T5 starts decoding with pad) or id 0; EOS is its &lt;/s&gt;, [EOS] or
     * &lt;|endoftext|&gt;, when it has one.
     */
    public static EncoderDecoderSpec toSpec(ModelConfig c, int tokenizerVocab, HfTokenizer tokenizer) {
        c.validated();
        List<String> problems = problems(c);
        if (!problems.isEmpty()) throw new NotTrainableException(problems);
        boolean noBias = c.flag("remove_transformer_bias");
        boolean tied = c.flag("tie_weights");
        int pad = Math.max(0, SpecialTokens.pad(tokenizer));
        return new EncoderDecoderSpec(c.integer("vocab_size") > 0 ? c.integer("vocab_size") : tokenizerVocab, c.hidden(),
                c.integer("layers_num"), c.integer("decoder_layers_num"), c.heads(), c.headSize(), c.integer("feedforward_size"),
                c.text("layernorm").equals("rms") ? TransformerSpec.NormKind.RMS : TransformerSpec.NormKind.LAYER, c.number("layernorm_eps"),
                c.text("feed_forward").equals("gated") ? TransformerSpec.MlpKind.GATED : TransformerSpec.MlpKind.DENSE,
                TransformerSpec.Activation.fromHuggingFace(c.text("hidden_act")),
                !noBias && !c.flag("remove_attention_bias"), !noBias,
                c.flag("relative_position"), BUCKETS, MAX_DISTANCE,
                c.list("embedding").contains("pos"), c.list("target_embedding").contains("pos"), c.integer("max_seq_length"),
                c.text("mask").equals("causal"), tied, tied, c.flag("lm_head_bias"),
                pad, pad, SpecialTokens.eos(tokenizer));
    }

    /**
     * A fresh float32 model with seeded weights drawn as T5 initialises them ({@link EncoderDecoderModel#t5Weights},
     * initializer_factor 1: T5 scales each matrix by its fan-in and leaves scores unscaled, so one init_std for every
     * matrix would start its attention flat); its folder (tokenizer, builder config) is {@code stage}.
     */
    static EncoderDecoderModel newModel(ModelConfig c, int vocab, HfTokenizer tokenizer, Path stage, NDManager m,
                                        LoadOptions.DeviceChoice device) throws CheckpointException {
        EncoderDecoderSpec spec = toSpec(c, vocab, tokenizer);
        try (NDManager scope = m.newSubManager()) {
            Map<String, NDArray> weights = EncoderDecoderModel.t5Weights(spec, scope, c.integer("seed"), 1.0);
            return EncoderDecoderModel.create(spec, weights, HfTokenizer.load(stage),
                    new LoadOptions(device, LoadOptions.DtypeChoice.FLOAT32), stage);
        }
    }
}
