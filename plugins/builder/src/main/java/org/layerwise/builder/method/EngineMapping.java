package org.layerwise.builder.method;

import org.layerwise.engine.model.TransformerSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a composed model onto the engine's one transformer ({@link TransformerSpec}). Decoder-only models,
 * bidirectional encoders and prefix language models map with every transformer switch: pre- or post-LN blocks,
 * word/pos/seg/sinusoidalpos embeddings with or without the embedding LayerNorm, rotary positions, masks
 * fully_visible, causal and causal_with_prefix. The Hugging Face model type is gpt2, gptj or llama when the choices
 * are exactly that family's (so transformers opens the saved folder too), else the engine's own "layerwise" type.
 * Recurrent encoders train as the engine's recurrent model ({@link RecurrentMapping}) and encoder-decoder configs as
 * its EncoderDecoderModel ({@link EncoderDecoderMapping}); {@link #trainingProblems} says what of them is refused.
 * What the one transformer cannot run (relative positions) is reported, not faked.
 */
public final class EngineMapping {
    private static final List<String> FAMILIES = List.of("gpt2", "gptj", "llama");

    private EngineMapping() {}

    /** Why the config cannot become a {@link TransformerSpec}; empty when it can. */
    public static List<String> mappingProblems(ModelConfig c) {
        List<String> r = new ArrayList<>();
        if (c.recurrent()) r.add("a recurrent encoder (" + c.text("encoder") + "), which is no transformer (it trains as the engine's recurrent model)");
        if (c.decoderPresent()) r.add("an encoder-decoder model (decoder transformer with cross-attention)");
        if (!c.recurrent() && c.flag("relative_position")) r.add("relative position bias");
        return r;
    }

    /** Why the config cannot be pretrained here; empty when it can. */
    public static List<String> trainingProblems(ModelConfig c) {
        if (c.decoderPresent()) return EncoderDecoderMapping.problems(c);
        List<String> r = c.recurrent() ? RecurrentMapping.problems(c) : mappingProblems(c);
        List<String> targets = c.list("target");
        String mask = c.text("mask");
        if (targets.contains("lm") && targets.contains("mlm"))
            r.add("targets lm and mlm together on one stack (lm needs a causal mask, mlm a fully visible one; train two models)");
        else if (targets.contains("lm") && mask.equals("fully_visible"))
            r.add("target lm with mask fully_visible (every position would see the token it predicts; use mask causal)");
        else if (targets.contains("mlm") && mask.equals("causal"))
            r.add("target mlm with mask causal (a masked token could not be read from its right; use mask fully_visible)");
        if (targets.contains("cls") && targets.contains("sp"))
            r.add("targets cls and sp together (an example carries one label: its class or whether B follows A; pick one)");
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
                + ", layernorm_positioning pre, remove_embedding_layernorm true"
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
        boolean post = "post".equals(c.text("layernorm_positioning"));
        return TransformerSpec.builder().modelType(type).vocabSize(vocab)
                .dModel(c.hidden()).layers(c.integer("layers_num")).heads(c.heads()).kvHeads(c.kvHeads()).headDim(c.headSize())
                .maxPositions(c.integer("max_seq_length")).learnedPositions(c.list("embedding").contains("pos"))
                .sinusoidalPositions(c.list("embedding").contains("sinusoidalpos"))
                .segmentEmbedding(c.list("embedding").contains("seg")).embeddingNorm(!c.flag("remove_embedding_layernorm"))
                .normPosition(post ? TransformerSpec.NormPosition.POST : TransformerSpec.NormPosition.PRE)
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
                // a post-LN stack ends in a norm already (TencentPretrain has the final norm with pre-LN only)
                .finalNorm(!post).tiedEmbeddings(c.flag("tie_weights")).lmHeadBias(c.flag("lm_head_bias"))
                .mask(switch (c.text("mask")) {
                    case "causal" -> TransformerSpec.MaskKind.CAUSAL;
                    case "causal_with_prefix" -> TransformerSpec.MaskKind.CAUSAL_WITH_PREFIX;
                    default -> TransformerSpec.MaskKind.BIDIRECTIONAL;
                })
                .build();
    }
}
