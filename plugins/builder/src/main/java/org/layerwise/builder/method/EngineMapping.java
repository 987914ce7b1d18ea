package org.layerwise.builder.method;

import org.layerwise.engine.model.TransformerSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a composed model onto the engine's one transformer ({@link TransformerSpec}). Decoder-only models and
 * bidirectional encoders with pre-LN blocks and word/pos/rotary positions map; the Hugging Face model type is
 * gpt2, gptj or llama when the choices are exactly that family's (so transformers opens the saved folder too),
 * else the engine's own "layerwise" type. What the one transformer cannot run (recurrent encoders, post-LN, segment or
 * sinusoidal embeddings, relative positions) is reported, not faked. Encoder-decoder configs are not a TransformerSpec:
 * they train as the engine's EncoderDecoderModel ({@link EncoderDecoderMapping}), and {@link #trainingProblems} says
 * what of them it refuses.
 */
public final class EngineMapping {
    private static final List<String> FAMILIES = List.of("gpt2", "gptj", "llama");

    private EngineMapping() {}

    /** Why the config cannot become a {@link TransformerSpec}; empty when it can. */
    public static List<String> mappingProblems(ModelConfig c) {
        List<String> r = new ArrayList<>();
        if (c.recurrent()) r.add("a recurrent encoder (" + c.text("encoder") + "); the engine runs transformers only");
        if (c.decoderPresent()) r.add("an encoder-decoder model (decoder transformer with cross-attention)");
        if (!c.recurrent()) {
            if ("post".equals(c.text("layernorm_positioning"))) r.add("post-LN blocks (layernorm_positioning post)");
            if ("causal_with_prefix".equals(c.text("mask"))) r.add("the causal_with_prefix mask");
            if (c.flag("relative_position")) r.add("relative position bias");
        }
        for (String e : c.list("embedding"))
            if (e.equals("seg") || e.equals("sinusoidalpos")) r.add("the '" + e + "' embedding");
        if (!c.flag("remove_embedding_layernorm")) r.add("a LayerNorm after the embedding (set remove_embedding_layernorm true)");
        return r;
    }

    /** Why the config cannot be pretrained here; empty when it can. */
    public static List<String> trainingProblems(ModelConfig c) {
        if (c.decoderPresent()) return EncoderDecoderMapping.problems(c);
        List<String> r = mappingProblems(c);
        List<String> targets = c.list("target");
        List<String> others = targets.stream().filter(t -> !t.equals("lm") && !t.equals("mlm")).toList();
        if (!others.isEmpty()) r.add("target " + String.join(", ", others) + " (lm and mlm train in this version)");
        else if (targets.contains("lm") && targets.contains("mlm")) r.add("targets lm and mlm together (one objective per run in this version)");
        return r;
    }

    /**
     * The engine spec for a valid, mappable config.
     *
     * @param tokenizerVocab the tokenizer's vocabulary, used when vocab_size is 0
     * @throws NotTrainableException when {@link #mappingProblems} is not empty
     */
    public static TransformerSpec toSpec(ModelConfig c, int tokenizerVocab) {
        c.validated();
        List<String> problems = mappingProblems(c);
        if (!problems.isEmpty()) throw new NotTrainableException(problems);
        TransformerSpec generic = build(c, "layerwise", c.integer("vocab_size") > 0 ? c.integer("vocab_size") : tokenizerVocab);
        String family = c.text("model_type");
        if (family.equals("auto")) {
            for (String f : FAMILIES) if (fits(generic, f)) return generic.toBuilder().modelType(f).build();
            return generic;
        }
        if (!family.equals("layerwise") && !fits(generic, family))
            throw new IllegalArgumentException(familyProblem(c, family));
        return generic.toBuilder().modelType(family).build();
    }

    /** The message when forced {@code model_type} does not fit the choices, or null when it fits (or cannot be judged yet). */
    static String familyProblem(ModelConfig c, String family) {
        if (!mappingProblems(c).isEmpty())
            return "model_type " + family + " is a decoder-only family; this config has " + String.join(", ", mappingProblems(c));
        TransformerSpec s = build(c, "layerwise", Math.max(1, c.integer("vocab_size")));
        if (fits(s, family)) return null;
        String needs = switch (family) {
            case "gpt2" -> "embedding [word, pos], layernorm normal, dense feed_forward, all biases, no rotary, causal mask, no lm_head_bias";
            case "gptj" -> "embedding [word], rotary interleaved (theta 10000), parallel_residual, layernorm normal, dense feed_forward, "
                    + "remove_attention_bias with MLP biases, lm_head_bias, causal mask";
            default -> "embedding [word], rotary half over the whole head, layernorm rms, gated feed_forward, no parallel residual, "
                    + "no lm_head_bias, causal mask";
        };
        return "model_type " + family + " does not fit these choices (" + family + " needs " + needs
                + "); use model_type auto or layerwise";
    }

    private static boolean fits(TransformerSpec s, String family) {
        try {
            s.toBuilder().modelType(family).build().toHuggingFaceConfig(null, null);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static TransformerSpec build(ModelConfig c, String type, int vocab) {
        boolean noBias = c.flag("remove_transformer_bias");
        boolean attnBias = !noBias && !c.flag("remove_attention_bias");
        String rotary = c.text("rotary");
        return TransformerSpec.builder().modelType(type).vocabSize(vocab)
                .dModel(c.hidden()).layers(c.integer("layers_num")).heads(c.heads()).kvHeads(c.kvHeads()).headDim(c.headSize())
                .maxPositions(c.integer("max_seq_length")).learnedPositions(c.list("embedding").contains("pos"))
                .rotary(switch (rotary) {
                    case "half" -> TransformerSpec.RotaryStyle.HALF;
                    case "interleaved" -> TransformerSpec.RotaryStyle.INTERLEAVED;
                    default -> TransformerSpec.RotaryStyle.NONE;
                }, rotary.equals("none") ? 0 : c.rotaryDim(), c.number("rope_theta"))
                .norm(c.text("layernorm").equals("rms") ? TransformerSpec.NormKind.RMS : TransformerSpec.NormKind.LAYER,
                        c.number("layernorm_eps"))
                .residual(c.flag("parallel_residual") ? TransformerSpec.Residual.PARALLEL : TransformerSpec.Residual.SEQUENTIAL)
                .qkvBias(attnBias).outBias(attnBias)
                .mlp(c.text("feed_forward").equals("gated") ? TransformerSpec.MlpKind.GATED : TransformerSpec.MlpKind.DENSE,
                        TransformerSpec.Activation.fromHuggingFace(c.text("hidden_act")), c.integer("feedforward_size"), !noBias)
                .finalNorm(true).tiedEmbeddings(c.flag("tie_weights")).lmHeadBias(c.flag("lm_head_bias"))
                .mask(c.text("mask").equals("causal") ? TransformerSpec.MaskKind.CAUSAL : TransformerSpec.MaskKind.BIDIRECTIONAL)
                .build();
    }
}
