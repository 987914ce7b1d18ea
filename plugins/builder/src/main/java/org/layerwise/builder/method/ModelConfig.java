package org.layerwise.builder.method;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A model (and its pretraining) as a flat JSON object, TencentPretrain style. Values come with the priority
 * defaults &lt; config file &lt; command-line overrides ({@code --set key=value}); {@link #problems()} lists
 * what is wrong, one clear sentence each. Immutable: every change returns a new config.
 *
 * <p>Model keys: vocab_size (0 = the tokenizer's), hidden_size, layers_num, heads_num, kv_heads_num
 * (0 = heads_num), head_size (0 = hidden/heads), feedforward_size, max_seq_length, embedding [word, pos,
 * seg, sinusoidalpos], remove_embedding_layernorm, encoder, mask, layernorm_positioning, layernorm,
 * layernorm_eps, feed_forward, hidden_act, parallel_residual, remove_transformer_bias,
 * remove_attention_bias, rotary, rotary_dim (0 = head_size), rope_theta, tie_weights, lm_head_bias,
 * target_embedding, decoder, decoder_layers_num, target [lm, mlm, cls, sp], labels_num, pooling (auto|first|last|mean:
 * how cls and sp read the sequence), model_type.
 * Training keys: learning_rate, min_learning_rate, warmup_steps, total_steps, decay, batch_size,
 * accumulation, optimizer, weight_decay, beta1, beta2, momentum, clip_norm, seed, init_std,
 * eval_fraction, eval_every, checkpoint_every.
 */
public final class ModelConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULTS = "defaults.json";

    private final ObjectNode values;

    private ModelConfig(ObjectNode values) {
        this.values = values;
    }

    /** The defaults: a small GPT-2-shaped model. */
    public static ModelConfig defaults() {
        return new ModelConfig(resource(DEFAULTS));
    }

    /** Defaults, then the JSON object {@code json} on top. */
    public static ModelConfig fromJson(String json) {
        return defaults().withJson(json);
    }

    /** This config with the settings of the JSON object {@code json} on top. */
    public ModelConfig withJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) throw new IllegalArgumentException("A model config must be a JSON object { … }");
            return merge((ObjectNode) node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The config is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        }
    }

    /** This config with the settings of a JSON file on top. */
    public ModelConfig withFile(Path file) {
        try {
            return withJson(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the config " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Defaults &lt; {@code file} (may be null) &lt; {@code overrides} ("key=value" each). */
    public static ModelConfig load(Path file, List<String> overrides) {
        ModelConfig c = file == null ? defaults() : defaults().withFile(file);
        return c.withOverrides(overrides);
    }

    /** A preset by name (gpt2, gptj, llama, bert, t5-small) on top of the defaults. */
    public static ModelConfig preset(String name) {
        if (!PRESETS.contains(name))
            throw new IllegalArgumentException("No preset '" + name + "'; presets: " + String.join(", ", PRESETS));
        return defaults().merge(resource("presets/" + name + ".json"));
    }

    public static final List<String> PRESETS = List.of("gpt2", "gptj", "llama", "bert", "t5-small");

    /** Applies "key=value" overrides; a value is read as JSON when it parses, else as text; "a,b" for a list key. */
    public ModelConfig withOverrides(List<String> overrides) {
        ModelConfig c = this;
        for (String o : overrides == null ? List.<String>of() : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--set needs key=value, got '" + o + "'");
            c = c.with(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        return c;
    }

    /** One setting changed, the value given as text (as on the command line). */
    public ModelConfig with(String key, String text) {
        JsonNode current = values.get(key);
        JsonNode value;
        if (current != null && current.isArray() && !text.startsWith("[")) {
            ArrayNode list = JSON.createArrayNode();
            for (String part : text.split(",")) if (!part.isBlank()) list.add(part.trim());
            value = list;
        } else {
            try {
                value = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                value = null;
            }
            if (value == null || value.isMissingNode()) value = JSON.getNodeFactory().textNode(text);
        }
        return with(key, value);
    }

    public ModelConfig with(String key, JsonNode value) {
        ObjectNode copy = values.deepCopy();
        copy.set(key, value);
        return new ModelConfig(copy);
    }

    private ModelConfig merge(ObjectNode over) {
        ObjectNode copy = values.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            copy.set(e.getKey(), e.getValue());
        }
        return new ModelConfig(copy);
    }

    /** The whole config as pretty JSON. */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public ObjectNode json() { return values.deepCopy(); }

    // ---------------------------------------------------------------- typed access

    public JsonNode raw(String key) { return values.get(key); }

    public int integer(String key) {
        JsonNode v = values.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber())
            throw new IllegalArgumentException(key + " must be a whole number, got " + v);
        return v.asInt();
    }

    public double number(String key) {
        JsonNode v = values.get(key);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException(key + " must be a number, got " + v);
        return v.asDouble();
    }

    public boolean flag(String key) {
        JsonNode v = values.get(key);
        if (v == null || !v.isBoolean()) throw new IllegalArgumentException(key + " must be true or false, got " + v);
        return v.asBoolean();
    }

    public String text(String key) {
        JsonNode v = values.get(key);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException(key + " must be a text value, got " + v);
        return v.asText();
    }

    /** A list setting; a single text value counts as a one-element list. */
    public List<String> list(String key) {
        JsonNode v = values.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (v.isTextual()) {
            if (!v.asText().isBlank()) out.add(v.asText());
            return out;
        }
        if (!v.isArray()) throw new IllegalArgumentException(key + " must be a list of names, got " + v);
        for (JsonNode n : v) {
            if (!n.isTextual()) throw new IllegalArgumentException(key + " must list names (text), got " + n);
            out.add(n.asText());
        }
        return out;
    }

    // ---------------------------------------------------------------- derived sizes

    public int hidden() { return integer("hidden_size"); }

    public int heads() { return integer("heads_num"); }

    public int kvHeads() { return integer("kv_heads_num") == 0 ? heads() : integer("kv_heads_num"); }

    public int headSize() { return integer("head_size") == 0 ? hidden() / Math.max(1, heads()) : integer("head_size"); }

    public int rotaryDim() { return integer("rotary_dim") == 0 ? headSize() : integer("rotary_dim"); }

    public boolean decoderPresent() { return !"none".equals(values.path("decoder").asText("none")); }

    public boolean recurrent() { return !"transformer".equals(values.path("encoder").asText()); }

    /** Every problem of the config, one sentence each; empty when the config is valid. */
    public List<String> problems() {
        return ConfigValidation.problems(this);
    }

    /** Throws {@link IllegalArgumentException} listing every problem, or returns this config. */
    public ModelConfig validated() {
        List<String> p = problems();
        if (!p.isEmpty()) throw new IllegalArgumentException(p.size() == 1 ? p.get(0)
                : "The config has " + p.size() + " problems:\n  - " + String.join("\n  - ", p));
        return this;
    }

    /** Keys the defaults define: the only keys a config may use. */
    public static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        resource(DEFAULTS).fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static ObjectNode resource(String name) {
        try (InputStream in = ModelConfig.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("Missing resource " + name + " in the builder plugin");
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public boolean equals(Object o) { return o instanceof ModelConfig c && c.values.equals(values); }

    @Override public int hashCode() { return values.hashCode(); }

    @Override public String toString() { return toJson(); }
}
