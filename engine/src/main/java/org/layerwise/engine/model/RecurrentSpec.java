package org.layerwise.engine.model;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of a {@link RecurrentModel}: a word embedding (plus an optional learned position table and an optional
 * LayerNorm after the embedding sum, TencentPretrain's embedding), {@code layers} stacked LSTM or GRU layers of
 * {@code hidden} units (torch.nn.LSTM/GRU with both biases, input width = hidden), and an LM head (tied to the word
 * embedding or its own matrix, with an optional bias).
 *
 * <p>Weights carry torch.nn.LSTM/GRU's names under {@code rnn.} ({@code rnn.weight_ih_l0} [gates·hidden, hidden],
 * {@code rnn.weight_hh_l0}, {@code rnn.bias_ih_l0}, {@code rnn.bias_hh_l0}; gate order i,f,g,o for LSTM and r,z,n
 * for GRU), so {@code nn.LSTM(h, h, layers, batch_first=True).load_state_dict} takes them as they are.
 */
public record RecurrentSpec(Cell cell, int vocabSize, int hidden, int layers, int maxPositions, boolean learnedPositions,
                            boolean embeddingNorm, double normEps, boolean tiedEmbeddings, boolean lmHeadBias) {
    /** The model_type written to config.json. */
    public static final String MODEL_TYPE = "layerwise-recurrent";

    public enum Cell {
        LSTM(4), GRU(3);

        /** Gate blocks stacked in each weight matrix. */
        public final int gates;

        Cell(int gates) { this.gates = gates; }

        public String word() { return name().toLowerCase(Locale.ROOT); }

        static Cell of(String word) {
            for (Cell c : values()) if (c.word().equals(word)) return c;
            throw new IllegalArgumentException("cell '" + word + "' is not lstm or gru");
        }
    }

    public RecurrentSpec {
        if (cell == null) throw new IllegalArgumentException("a recurrent model needs a cell (lstm or gru)");
        if (vocabSize <= 0 || hidden <= 0 || layers <= 0 || maxPositions <= 0)
            throw new IllegalArgumentException("vocab_size, hidden_size, num_layers and max_position_embeddings must be positive, got "
                    + vocabSize + ", " + hidden + ", " + layers + ", " + maxPositions);
        if (embeddingNorm && !(normEps > 0)) throw new IllegalArgumentException("layer_norm_eps must be positive, got " + normEps);
    }

    /** Every stored tensor and its shape, in forward order; a tied model has no lm_head.weight. */
    public Map<String, Shape> shapes() {
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("embed.weight", new Shape(vocabSize, hidden));
        if (learnedPositions) s.put("pos_embed.weight", new Shape(maxPositions, hidden));
        if (embeddingNorm) {
            s.put("embed_norm.weight", new Shape(hidden));
            s.put("embed_norm.bias", new Shape(hidden));
        }
        long g = (long) cell.gates * hidden;
        for (int l = 0; l < layers; l++) {
            s.put(weightIh(l), new Shape(g, hidden));
            s.put(weightHh(l), new Shape(g, hidden));
            s.put(biasIh(l), new Shape(g));
            s.put(biasHh(l), new Shape(g));
        }
        if (!tiedEmbeddings) s.put("lm_head.weight", new Shape(vocabSize, hidden));
        if (lmHeadBias) s.put("lm_head.bias", new Shape(vocabSize));
        return s;
    }

    public static String weightIh(int layer) { return "rnn.weight_ih_l" + layer; }

    public static String weightHh(int layer) { return "rnn.weight_hh_l" + layer; }

    public static String biasIh(int layer) { return "rnn.bias_ih_l" + layer; }

    public static String biasHh(int layer) { return "rnn.bias_hh_l" + layer; }

    /** Parameters of the model, as torch counts them (LSTM: 4·h·(h + h) + 8·h per layer; GRU: 3·…). */
    public long parameterCount() {
        long n = 0;
        for (Shape s : shapes().values()) n += s.size();
        return n;
    }

    /** One line, e.g. "lstm · 2 layers · hidden 64 · vocab 300". */
    public String describe() {
        return cell.word() + " · " + layers + (layers == 1 ? " layer" : " layers") + " · hidden " + hidden + " · vocab " + vocabSize
                + (learnedPositions ? " · learned positions" : "") + (embeddingNorm ? " · embedding LayerNorm" : "")
                + (tiedEmbeddings ? " · tied" : "");
    }

    /** config.json of a saved model. */
    public ObjectNode toConfig(String dtype) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("model_type", MODEL_TYPE);
        c.put("cell", cell.word());
        c.put("vocab_size", vocabSize);
        c.put("hidden_size", hidden);
        c.put("num_layers", layers);
        c.put("max_position_embeddings", maxPositions);
        c.put("learned_positions", learnedPositions);
        c.put("embedding_layer_norm", embeddingNorm);
        c.put("layer_norm_eps", normEps);
        c.put("tie_word_embeddings", tiedEmbeddings);
        c.put("lm_head_bias", lmHeadBias);
        c.put("batch_first", true);
        if (dtype != null) c.put("torch_dtype", dtype);
        return c;
    }

    /** The spec of a config.json written by {@link #toConfig}; names the field that is missing or wrong. */
    public static RecurrentSpec fromConfig(JsonNode c) {
        String type = c.path("model_type").asText("");
        if (!MODEL_TYPE.equals(type))
            throw new IllegalArgumentException("model_type is '" + type + "', not '" + MODEL_TYPE + "'; this is no recurrent model folder");
        return new RecurrentSpec(Cell.of(text(c, "cell")), integer(c, "vocab_size"), integer(c, "hidden_size"), integer(c, "num_layers"),
                integer(c, "max_position_embeddings"), flag(c, "learned_positions"), flag(c, "embedding_layer_norm"),
                c.path("layer_norm_eps").asDouble(1e-5), flag(c, "tie_word_embeddings"), flag(c, "lm_head_bias"));
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("field '" + field + "' must be text (lstm or gru), got " + v);
        return v.asText();
    }

    private static int integer(JsonNode c, String field) {
        JsonNode v = c.get(field);
        if (v == null || !v.isIntegralNumber()) throw new IllegalArgumentException("field '" + field + "' must be a whole number, got " + v);
        return v.asInt();
    }

    private static boolean flag(JsonNode c, String field) {
        JsonNode v = c.get(field);
        if (v == null || !v.isBoolean()) throw new IllegalArgumentException("field '" + field + "' must be true or false, got " + v);
        return v.asBoolean();
    }
}
