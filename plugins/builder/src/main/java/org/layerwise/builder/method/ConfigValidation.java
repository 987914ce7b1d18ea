package org.layerwise.builder.method;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The checks behind {@link ModelConfig#problems()}: each finds one mistake and says how to fix it. */
final class ConfigValidation {
    private ConfigValidation() {}

    static List<String> problems(ModelConfig c) {
        List<String> p = new ArrayList<>();
        List<String> known = ModelConfig.knownKeys();
        for (Iterator<String> it = c.json().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) p.add("Unknown setting '" + key + "'" + closest(key, known));
        }
        if (!p.isEmpty()) return p;          // typed reads below would only repeat the confusion

        for (Map.Entry<String, List<String>> e : ComponentRegistry.CHOICES.entrySet())
            check(p, () -> {
                String v = c.text(e.getKey());
                return e.getValue().contains(v) ? null
                        : e.getKey() + " '" + v + "' is not a choice; choose one of " + String.join(", ", e.getValue());
            });
        check(p, () -> registry(c.list("embedding"), ComponentRegistry.EMBEDDINGS, "embedding"));
        check(p, () -> registry(c.list("target_embedding"), ComponentRegistry.EMBEDDINGS, "target embedding"));
        check(p, () -> registry(List.of(c.text("encoder")), ComponentRegistry.ENCODERS, "encoder"));
        check(p, () -> registry(List.of(c.text("decoder")), ComponentRegistry.DECODERS, "decoder"));
        check(p, () -> registry(c.list("target"), ComponentRegistry.TARGETS, "target"));
        if (!p.isEmpty()) return p;

        for (String key : List.of("hidden_size", "layers_num", "heads_num", "feedforward_size", "max_seq_length"))
            check(p, () -> c.integer(key) > 0 ? null : key + " must be positive, not " + c.integer(key));
        for (String key : List.of("vocab_size", "kv_heads_num", "head_size", "rotary_dim", "decoder_layers_num"))
            check(p, () -> c.integer(key) >= 0 ? null : key + " must be ≥ 0 (0 = automatic), not " + c.integer(key));
        for (String key : List.of("remove_embedding_layernorm", "parallel_residual", "remove_transformer_bias",
                "remove_attention_bias", "tie_weights", "lm_head_bias", "relative_position"))
            check(p, () -> { c.flag(key); return null; });
        check(p, () -> c.number("layernorm_eps") > 0 ? null : "layernorm_eps must be positive");
        check(p, () -> c.number("rope_theta") > 0 ? null : "rope_theta must be positive");
        if (!p.isEmpty()) return p;

        List<String> emb = c.list("embedding");
        List<String> targets = c.list("target");
        String mask = c.text("mask");
        boolean transformer = !c.recurrent();
        if (!emb.contains("word")) p.add("embedding must include 'word' (the token embedding); got " + emb);
        if (emb.contains("pos") && emb.contains("sinusoidalpos"))
            p.add("embedding lists both 'pos' and 'sinusoidalpos'; keep one kind of absolute position");
        if (emb.contains("sinusoidalpos") && c.hidden() % 2 != 0)
            p.add("embedding sinusoidalpos pairs a sine and a cosine per frequency, so hidden_size must be even, not " + c.hidden());
        if (targets.isEmpty()) p.add("target is empty; list at least one of " + ComponentRegistry.names(ComponentRegistry.TARGETS));
        if (transformer) {
            if (c.integer("head_size") == 0 && c.hidden() % c.heads() != 0)
                p.add("hidden_size " + c.hidden() + " is not divisible by heads_num " + c.heads()
                        + "; change one of them or set head_size");
            if (c.heads() % c.kvHeads() != 0)
                p.add("kv_heads_num " + c.kvHeads() + " does not divide heads_num " + c.heads()
                        + " (each key/value head serves a whole group of query heads)");
            if (c.flag("parallel_residual") && "post".equals(c.text("layernorm_positioning")))
                p.add("parallel_residual needs layernorm_positioning pre: a post-LN block normalises after the sum, "
                        + "which leaves no shared input norm for the parallel branches");
            if (!"none".equals(c.text("rotary"))) {
                int r = c.rotaryDim();
                if (r % 2 != 0 || r > c.headSize())
                    p.add("rotary_dim " + r + " must be even and at most head_size " + c.headSize());
                if (emb.contains("pos") || emb.contains("sinusoidalpos"))
                    p.add("rotary positions and an absolute position embedding ('pos'/'sinusoidalpos') both encode "
                            + "positions; drop one");
            }
        } else {
            if (!"none".equals(c.text("rotary")) || c.flag("relative_position"))
                p.add("a recurrent encoder (" + c.text("encoder") + ") reads positions from the order; rotary and "
                        + "relative positions belong to the transformer encoder");
            if (c.flag("parallel_residual")) p.add("parallel_residual is a transformer switch; a " + c.text("encoder") + " encoder has no residual blocks");
        }
        if (!c.decoderPresent()) {
            if (targets.contains("lm") && !mask.startsWith("causal"))
                p.add("target lm predicts the next token, so the encoder needs mask causal or causal_with_prefix (it is " + mask
                        + "); or add a decoder for an encoder-decoder model");
            if (targets.contains("mlm") && "causal".equals(mask))
                p.add("target mlm predicts masked tokens from both sides, which a causal mask hides; use mask fully_visible");
            if (!c.list("target_embedding").isEmpty())
                p.add("target_embedding is set but there is no decoder; set decoder transformer or remove target_embedding");
        } else {
            if (c.recurrent()) p.add("the transformer decoder attends to encoder states of a transformer encoder; use encoder transformer");
            if (c.list("target_embedding").isEmpty()) p.add("a decoder needs a target_embedding (e.g. [\"word\"]) for its input tokens");
            if (c.integer("decoder_layers_num") == 0) p.add("decoder transformer needs decoder_layers_num > 0");
            if (targets.contains("mlm")) p.add("target mlm belongs to an encoder; an encoder-decoder model trains with lm");
        }
        if ("causal_with_prefix".equals(mask) && !emb.contains("seg"))
            p.add("mask causal_with_prefix marks the prefix with segment ids; add 'seg' to embedding");
        if (targets.contains("cls") && c.integer("labels_num") < 2) p.add("target cls needs labels_num ≥ 2");
        if (targets.contains("mlm")) {
            check(p, () -> c.number("mask_fraction") > 0 && c.number("mask_fraction") < 1 ? null : "mask_fraction must be in (0, 1)");
            check(p, () -> c.text("mask_token").isEmpty() ? "mask_token must name the tokenizer's mask token, e.g. [MASK]" : null);
        }
        checkTraining(c, p);
        if (p.isEmpty() && !"auto".equals(c.text("model_type")) && !"layerwise".equals(c.text("model_type"))) {
            String family = EngineMapping.familyProblem(c, c.text("model_type"));
            if (family != null) p.add(family);
        }
        return p;
    }

    private static void checkTraining(ModelConfig c, List<String> p) {
        check(p, () -> c.number("learning_rate") > 0 ? null : "learning_rate must be positive");
        check(p, () -> c.number("learning_rate") <= 0 || c.number("min_learning_rate") >= 0 && c.number("min_learning_rate") <= c.number("learning_rate")
                ? null : "min_learning_rate must be between 0 and learning_rate");
        check(p, () -> c.integer("total_steps") > 0 ? null : "total_steps must be positive");
        check(p, () -> c.integer("warmup_steps") >= 0 ? null : "warmup_steps must be ≥ 0");
        check(p, () -> c.integer("batch_size") > 0 ? null : "batch_size must be positive");
        check(p, () -> c.integer("accumulation") > 0 ? null : "accumulation must be ≥ 1 micro-batch");
        check(p, () -> c.number("weight_decay") >= 0 ? null : "weight_decay must be ≥ 0");
        check(p, () -> c.number("beta1") >= 0 && c.number("beta1") < 1 && c.number("beta2") >= 0 && c.number("beta2") < 1
                ? null : "beta1 and beta2 must be in [0, 1)");
        check(p, () -> c.number("momentum") >= 0 && c.number("momentum") < 1 ? null : "momentum must be in [0, 1)");
        check(p, () -> c.number("clip_norm") >= 0 ? null : "clip_norm must be ≥ 0 (0 = off)");
        check(p, () -> { c.integer("seed"); return null; });
        check(p, () -> c.number("init_std") > 0 ? null : "init_std must be positive");
        check(p, () -> c.number("eval_fraction") >= 0 && c.number("eval_fraction") < 1 ? null : "eval_fraction must be in [0, 1)");
        check(p, () -> c.integer("eval_every") >= 0 && c.integer("checkpoint_every") >= 0 ? null
                : "eval_every and checkpoint_every must be ≥ 0");
    }

    private static String registry(List<String> names, List<Component> registry, String what) {
        for (String n : names)
            if (ComponentRegistry.find(registry, n).isEmpty())
                return "Unknown " + what + " component '" + n + "'; the registry has " + String.join(", ", ComponentRegistry.names(registry));
        return null;
    }

    /** Runs one check; a wrong type becomes its message. */
    private static void check(List<String> p, Supplier<String> test) {
        try {
            String problem = test.get();
            if (problem != null) p.add(problem);
        } catch (IllegalArgumentException e) {
            if (!p.contains(e.getMessage())) p.add(e.getMessage());
        }
    }

    private static String closest(String key, List<String> known) {
        String best = null;
        int bestDistance = 4;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) { bestDistance = d; best = k; }
        }
        return best == null ? "; see the builder's README for the settings" : "; did you mean '" + best + "'?";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
