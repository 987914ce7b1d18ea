package org.layerwise.probeedit.method.edit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Hyper-parameters of one editor, named as in the upstream hparams JSON files (kmeng01/rome, kmeng01/memit,
 * Eric8932/JEEP). {@code layers} is the low region (ROME: one layer); {@code high_layers} JEEP's high region.
 *
 * @param highResidual JEEP's high-region residual: "mlp" as in the released code (z* − current MLP output),
 *                     "attention" (δ* minus what the attention and MLP outputs of the last high layer already
 *                     deliver)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EditHparams(@JsonProperty("method") String method,
                          @JsonProperty("source") String source,
                          @JsonProperty("layers") int[] layers,
                          @JsonProperty("high_layers") int[] highLayers,
                          @JsonProperty("v_num_grad_steps") int steps,
                          @JsonProperty("v_lr") double lr,
                          @JsonProperty("kl_factor") double klFactor,
                          @JsonProperty("v_weight_decay") double weightDecay,
                          @JsonProperty("v_weight_decay_high") double weightDecayHigh,
                          @JsonProperty("clamp_norm_factor") double clamp,
                          @JsonProperty("clamp_norm_factor_high") double clampHigh,
                          @JsonProperty("mom2_update_weight") double lambda,
                          @JsonProperty("mom2_update_weight_high") double lambdaHigh,
                          @JsonProperty("stop_prob") double stopProb,
                          @JsonProperty("context_template_seeds") List<String> templateSeeds,
                          @JsonProperty("context_template_length") int templateLength,
                          @JsonProperty("high_residual") String highResidual) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The presets shipped with the plugin (resources under presets/). */
    public static final List<String> PRESETS = List.of(
            "rome-gptj", "rome-llama7b", "rome-facts-llama",
            "memit-gptj", "memit-llama7b", "memit-facts-llama",
            "pmet-gptj", "pmet-llama7b", "pmet-facts-llama",
            "jeep-gptj-cf", "jeep-gptj-zsre", "jeep-llama7b-cf", "jeep-llama7b-zsre", "jeep-facts-llama");

    public EditHparams {
        if (layers == null || layers.length == 0) throw new IllegalArgumentException("hparams: layers must name at least one layer");
        if (highLayers == null) highLayers = new int[0];
        if (templateSeeds == null) templateSeeds = List.of();
        if (highResidual == null) highResidual = "mlp";
        if (!highResidual.equals("mlp") && !highResidual.equals("attention"))
            throw new IllegalArgumentException("hparams: high_residual must be \"mlp\" or \"attention\", not \"" + highResidual + "\"");
        if (steps < 1) throw new IllegalArgumentException("hparams: v_num_grad_steps must be at least 1");
    }

    public EditMethod editMethod() { return EditMethod.parse(method); }

    public int lastLow() { return layers[layers.length - 1]; }

    public int lastHigh() { return highLayers[highLayers.length - 1]; }

    public static EditHparams preset(String name) {
        String res = "/org/layerwise/probeedit/presets/" + name + ".json";
        try (InputStream in = EditHparams.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalArgumentException("no edit preset '" + name + "'; presets: " + String.join(", ", PRESETS));
            return JSON.readValue(in, EditHparams.class);
        } catch (IOException e) {
            throw new IllegalStateException("preset " + res + " is not valid hparams JSON: " + e.getMessage(), e);
        }
    }

    public static EditHparams read(Path file) {
        try {
            return JSON.readValue(file.toFile(), EditHparams.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not an edit hparams JSON file (" + e.getMessage() + ")", e);
        }
    }

    /** A copy with one JSON field replaced (e.g. {@code with("layers", "[2,3]")}). */
    public EditHparams with(String field, String jsonValue) {
        try {
            ObjectNode n = JSON.valueToTree(this);
            n.set(field, JSON.readTree(jsonValue));
            return JSON.treeToValue(n, EditHparams.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("hparams: " + field + "=" + jsonValue + " is not a JSON value", e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
