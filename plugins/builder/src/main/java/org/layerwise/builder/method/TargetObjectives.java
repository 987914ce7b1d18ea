package org.layerwise.builder.method;

import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.model.TokenModel;
import org.layerwise.engine.model.TrainableModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.train.LanguageModelObjective;
import org.layerwise.engine.train.MaskedLanguageModelObjective;
import org.layerwise.engine.train.MlmHead;
import org.layerwise.engine.train.MultiTargetObjective;
import org.layerwise.engine.train.Pooling;
import org.layerwise.engine.train.SentenceClassificationObjective;
import org.layerwise.engine.train.SentencePredictionObjective;
import org.layerwise.engine.train.TokenBatch;
import org.layerwise.engine.train.TrainingObjective;
import org.layerwise.engine.train.WithTargetHeads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The builder's targets beyond a single lm: the heads put on the model — TencentPretrain's MLM transform head for
 * mlm (dense, hidden_act, LayerNorm with layernorm_eps, then the output layer plus its own bias; always there, as in
 * TencentPretrain and BERT), the sentence-level heads (cls with labels_num classes, sp with 2) — and the objective of
 * the config's targets: one target alone, or several, each its own loss ({@link MultiTargetObjective}).
 */
final class TargetObjectives {
    private TargetObjectives() {}

    /** The MLM head's activation and LayerNorm eps from the config (hidden_act, layernorm_eps); null without target mlm. */
    static MlmHead.Settings mlmHead(ModelConfig c) {
        if (!c.list("target").contains("mlm")) return null;
        return new MlmHead.Settings(TransformerSpec.Activation.fromHuggingFace(c.text("hidden_act")), c.number("layernorm_eps"));
    }

    /** Target name → classes of the config's sentence-level targets (cls, sp), in config order. */
    static Map<String, Integer> sentenceTargets(ModelConfig c) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String t : c.list("target")) {
            if (t.equals("cls")) out.put(t, c.integer("labels_num"));
            if (t.equals("sp")) out.put(t, 2);
        }
        return out;
    }

    /** The model with fresh, seeded heads for the config's mlm/cls/sp targets; the model itself when it has none. */
    static TrainableModel withHeads(ModelConfig c, TrainableModel model) {
        Map<String, Integer> heads = sentenceTargets(c);
        MlmHead.Settings mlm = mlmHead(c);
        if (heads.isEmpty() && mlm == null) return model;
        return WithTargetHeads.create((TokenModel) model, heads, mlm, c.integer("seed") + 1L, c.number("init_std"));
    }

    /** The model with the heads saved in {@code dir} when the folder has them. */
    static TrainableModel withSavedHeads(Path dir, TrainableModel model) throws CheckpointException {
        return WithTargetHeads.present(dir) ? WithTargetHeads.load((TokenModel) model, dir) : model;
    }

    /** The objective of the config's targets over a token model made by {@link #withHeads} (or loaded with its heads). */
    static TrainingObjective<TokenBatch> of(ModelConfig c, TrainableModel trainable, HfTokenizer tokenizer) {
        TokenModel model = (TokenModel) trainable;
        Map<String, Integer> sentences = sentenceTargets(c);
        WithTargetHeads heads = null;
        if (c.list("target").contains("mlm") && !(trainable instanceof WithTargetHeads w && w.mlmHead() != null))
            throw new IllegalArgumentException("Target mlm predicts through its MLM head (target.mlm.*), but the model " + model.name()
                    + " has none (it was saved without it in " + WithTargetHeads.FILE + ", e.g. before the head was built); "
                    + "start a new run instead of resuming");
        if (!sentences.isEmpty()) {
            if (!(trainable instanceof WithTargetHeads w))
                throw new IllegalArgumentException("Targets " + sentences.keySet() + " need their heads, but the model " + model.name()
                        + " has none (it was saved without " + WithTargetHeads.FILE + "); start a new run instead of resuming");
            heads = w;
            for (Map.Entry<String, Integer> e : sentences.entrySet())
                if (!heads.classes().containsKey(e.getKey()) || heads.classes().get(e.getKey()) != (int) e.getValue())
                    throw new IllegalArgumentException("The config's target " + e.getKey() + " has " + e.getValue() + " classes, but the model's heads are "
                            + heads.classes() + "; resume with the config it was trained with, or start a new run");
        }
        // [CLS]-style first-token pooling needs a token the tokenizer puts first in every text
        Pooling pooling = sentences.isEmpty() ? null : Pooling.of(c.text("pooling"), model, tokenizer.encode("", true).ids().length > 0);
        List<TrainingObjective<TokenBatch>> targets = new ArrayList<>();
        for (String t : c.list("target")) {
            targets.add(switch (t) {
                case "lm" -> new LanguageModelObjective(model);
                case "mlm" -> new MaskedLanguageModelObjective(model, Pretraining.maskTokenId(c, tokenizer), c.number("mask_fraction"),
                        c.integer("seed"), SpecialTokens.neverMasked(tokenizer));
                case "cls" -> new SentenceClassificationObjective(model, heads.head("cls"), pooling);
                case "sp" -> new SentencePredictionObjective(model, heads.head("sp"), pooling);
                default -> throw new IllegalArgumentException("target " + t + " does not train here");
            });
        }
        return targets.size() == 1 ? targets.get(0) : new MultiTargetObjective(model, targets);
    }
}
