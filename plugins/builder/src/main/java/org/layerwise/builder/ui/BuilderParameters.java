package org.layerwise.builder.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.layerwise.builder.method.ComponentRegistry;
import org.layerwise.builder.method.ModelConfig;
import org.layerwise.sdk.ParameterSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The builder's settings as the shell's right-hand parameter sheet shows them: a preset, one choice per
 * registry (embedding parts, encoder, decoder and the transformer switches), switches, sizes and the
 * training run. Each parameter is one config key; an edit in the sheet becomes {@code config.with(key, text)}
 * through {@code onEdit}, and {@link #load} writes a new config's values back without echoing them.
 */
final class BuilderParameters implements ParameterSet {
    static final String PRESET = "preset";
    private static final String COMPONENTS = "Components";
    private static final String SWITCHES = "Switches";
    private static final String SIZES = "Sizes";
    private static final String TRAINING = "Pretraining";

    private static final List<String> FLAG_KEYS = List.of("parallel_residual", "remove_transformer_bias", "remove_attention_bias",
            "remove_embedding_layernorm", "tie_weights", "lm_head_bias", "relative_position");
    private static final List<String> INTEGER_KEYS = List.of("vocab_size", "hidden_size", "layers_num", "heads_num", "kv_heads_num",
            "feedforward_size", "max_seq_length", "decoder_layers_num", "labels_num");
    /** Lists of component names, edited as "word,pos". */
    private static final List<String> LIST_KEYS = List.of("embedding", "target", "target_embedding");
    private static final List<String> TRAINING_INTEGERS = List.of("total_steps", "batch_size", "warmup_steps", "seed");
    private static final List<String> TRAINING_NUMBERS = List.of("learning_rate");

    private final List<Parameter<?>> all = new ArrayList<>();
    private final Map<String, Parameter<?>> byKey = new LinkedHashMap<>();
    private boolean loading;

    /** @param onEdit called with (key, value as config text) after the user edits a parameter */
    BuilderParameters(ModelConfig initial, BiConsumer<String, String> onEdit) {
        add(new Parameter<>(PRESET, "Preset", "Replaces every setting with a preset's (TencentPretrain's model configs)",
                String.class, "", ModelConfig.PRESETS), onEdit);
        add(choice("encoder", ComponentRegistry.names(ComponentRegistry.ENCODERS), "The encoder stack"), onEdit);
        add(choice("decoder", ComponentRegistry.names(ComponentRegistry.DECODERS), "A decoder for encoder-decoder models, or none"), onEdit);
        for (Map.Entry<String, List<String>> e : ComponentRegistry.CHOICES.entrySet())
            add(choice(e.getKey(), e.getValue(), "One of " + String.join(", ", e.getValue())), onEdit);
        for (String key : LIST_KEYS)
            add(new Parameter<>(key, COMPONENTS, "Component names separated by commas, e.g. word,pos", String.class, ""), onEdit);
        for (String key : FLAG_KEYS) add(new Parameter<>(key, SWITCHES, key.replace('_', ' '), Boolean.class, false), onEdit);
        for (String key : INTEGER_KEYS) add(new Parameter<>(key, SIZES, key.replace('_', ' '), Integer.class, 0), onEdit);
        for (String key : TRAINING_INTEGERS) add(new Parameter<>(key, TRAINING, key.replace('_', ' '), Integer.class, 0), onEdit);
        for (String key : TRAINING_NUMBERS) add(new Parameter<>(key, TRAINING, key.replace('_', ' '), Double.class, 0.0), onEdit);
        load(initial);
    }

    private static Parameter<String> choice(String key, List<String> choices, String description) {
        return new Parameter<>(key, COMPONENTS, description, String.class, "", choices);
    }

    private void add(Parameter<?> p, BiConsumer<String, String> onEdit) {
        all.add(p);
        byKey.put(p.name(), p);
        p.onChange(v -> {
            if (!loading && v != null) onEdit.accept(p.name(), String.valueOf(v));
        });
    }

    @Override
    public String title() {
        return "Model builder";
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.copyOf(all);
    }

    Parameter<?> parameter(String key) {
        return byKey.get(key);
    }

    /** Shows {@code c}'s values (the preset parameter keeps the last preset chosen). */
    void load(ModelConfig c) {
        loading = true;
        try {
            for (Parameter<?> p : all) {
                if (p.name().equals(PRESET)) continue;
                JsonNode raw = c.raw(p.name());
                if (raw == null || raw.isNull()) continue;
                Object value;
                if (p.type() == Boolean.class) value = raw.asBoolean();
                else if (p.type() == Integer.class) value = raw.asInt();
                else if (p.type() == Double.class) value = raw.asDouble();
                else value = raw.isArray() ? String.join(",", c.list(p.name())) : raw.asText();
                p.set(value);
            }
        } finally {
            loading = false;
        }
    }
}
