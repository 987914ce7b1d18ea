package org.layerwise.builder.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of each component of a composed model, counted from the config alone (no weights are made), so
 * every config is counted before anything is built. Components: embedding, encoder, target embedding,
 * decoder, target; a tied output layer or target embedding counts zero (it is the word embedding). The target
 * component is the vocabulary output layer plus the heads that training adds (engine WithTargetHeads): for mlm the
 * MLM transform head, d² + d (dense) + 2d (LayerNorm) + V (output bias), as BERT's cls.predictions; for cls/sp a
 * dense + tanh layer and the classifier. A bert-base-shaped config (vocab 30522, target mlm) counts 109,515,066:
 * Hugging Face's BertForMaskedLM (109,514,298) plus one segment row (TencentPretrain's table has 3 rows: padding, A,
 * B; BERT's 2). BERT's pooler and NSP classifier belong to target sp here (d² + d + 2d + 2).
 */
public record ParameterCounts(Map<String, Long> byComponent) {
    public ParameterCounts {
        byComponent = Collections.unmodifiableMap(new LinkedHashMap<>(byComponent));
    }

    public long total() { return byComponent.values().stream().mapToLong(Long::longValue).sum(); }

    public long of(String component) { return byComponent.getOrDefault(component, 0L); }

    /** Counts for a valid config; {@code vocab} stands in when vocab_size is 0 (taken from the tokenizer). */
    public static ParameterCounts of(ModelConfig c, int vocab) {
        c.validated();
        long v = c.integer("vocab_size") > 0 ? c.integer("vocab_size") : vocab;
        long d = c.hidden(), p = c.integer("max_seq_length");
        boolean tied = c.flag("tie_weights");
        Map<String, Long> out = new LinkedHashMap<>();
        long emb = embedding(c, c.list("embedding"), v, d, p);
        if (!c.flag("remove_embedding_layernorm")) emb += 2 * d;
        out.put("embedding", emb);
        out.put("encoder", c.recurrent() ? recurrent(c, d) : transformer(c, c.integer("layers_num"), false));
        if (c.decoderPresent()) {
            long targetEmb = embedding(c, c.list("target_embedding"), v, d, p);
            if (tied && c.list("target_embedding").contains("word")) targetEmb -= v * d;   // shares the word embedding
            out.put("target embedding", targetEmb);
            out.put("decoder", transformer(c, c.integer("decoder_layers_num"), true));
        }
        // the vocabulary output layer every token model carries, whatever its targets (lm and mlm's head predict with it)
        long target = (tied ? 0 : v * d) + (c.flag("lm_head_bias") ? v : 0);
        for (String t : c.list("target")) {
            switch (t) {
                case "lm" -> { }
                case "mlm" -> target += d * d + d + 2 * d + v;          // dense, LayerNorm, output bias (MlmHead)
                case "sp" -> target += d * d + d + 2 * d + 2;          // dense + tanh, then 2 classes (WithTargetHeads)
                case "cls" -> target += d * d + d + d * c.integer("labels_num") + c.integer("labels_num");
                default -> throw new IllegalStateException("target " + t);
            }
        }
        out.put("target", target);
        return new ParameterCounts(out);
    }

    private static long embedding(ModelConfig c, java.util.List<String> parts, long v, long d, long p) {
        long n = 0;
        for (String e : parts) {
            n += switch (e) {
                case "word" -> v * d;
                case "pos" -> p * d;
                case "seg" -> 3 * d;
                default -> 0;       // sinusoidal positions are computed, not learned
            };
        }
        return n;
    }

    private static long transformer(ModelConfig c, int layers, boolean decoder) {
        long d = c.hidden(), h = c.heads(), k = c.kvHeads(), hd = c.headSize(), ff = c.integer("feedforward_size");
        boolean noBias = c.flag("remove_transformer_bias");
        boolean attnBias = !noBias && !c.flag("remove_attention_bias");
        long norm = c.text("layernorm").equals("rms") ? d : 2 * d;
        long selfAttn = (h + 2 * k) * hd * d + d * h * hd + (attnBias ? (h + 2 * k) * hd + d : 0);
        long crossAttn = 4 * h * hd * d + (attnBias ? 3 * h * hd + d : 0);
        long inputs = c.text("feed_forward").equals("gated") ? 2 : 1;
        long ffn = inputs * ff * d + d * ff + (noBias ? 0 : inputs * ff + d);
        long norms = decoder ? 3 : c.flag("parallel_residual") ? 1 : 2;
        long perLayer = selfAttn + ffn + norms * norm + (decoder ? crossAttn : 0);
        long total = layers * perLayer;
        if (c.text("layernorm_positioning").equals("pre")) total += norm;          // final norm
        if (c.flag("relative_position")) total += 32 * h;                           // one bucket table per stack
        return total;
    }

    /** torch.nn.LSTM/GRU with input width = hidden and both biases: per layer gates·h·(h + h) + 2·gates·h. */
    private static long recurrent(ModelConfig c, long d) {
        long gates = c.text("encoder").equals("lstm") ? 4 : 3;
        return c.integer("layers_num") * gates * (d * d + d * d + 2 * d);
    }
}
