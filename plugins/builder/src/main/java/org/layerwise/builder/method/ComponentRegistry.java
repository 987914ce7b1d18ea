package org.layerwise.builder.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registries of the five components a model is composed of (TencentPretrain's design): embedding,
 * encoder, target embedding, decoder and target, and the choices of each transformer switch. Config
 * keys name registry entries; {@link ModelConfig#problems()} checks every name against these lists.
 */
public final class ComponentRegistry {
    private ComponentRegistry() {}

    /** Sub-embeddings; the model's embedding is their sum. */
    public static final List<Component> EMBEDDINGS = List.of(
            new Component("word", "token embedding table [vocab, hidden]"),
            new Component("pos", "learned absolute position table [max_seq_length, hidden]"),
            new Component("seg", "segment (sentence A/B) embedding [3, hidden]"),
            new Component("sinusoidalpos", "fixed sinusoidal positions (no parameters)"));

    public static final List<Component> ENCODERS = List.of(
            new Component("transformer", "self-attention + feed-forward blocks with the transformer switches"),
            new Component("lstm", "stacked LSTM (recurrent; hidden_size units per layer)"),
            new Component("gru", "stacked GRU (recurrent; hidden_size units per layer)"));

    public static final List<Component> DECODERS = List.of(
            new Component("none", "no decoder: an encoder-only or decoder-only model"),
            new Component("transformer", "self-attention + cross-attention + feed-forward blocks (encoder-decoder)"));

    public static final List<Component> TARGETS = List.of(
            new Component("lm", "next-token language modelling (needs the causal mask)"),
            new Component("mlm", "masked language modelling (needs fully_visible attention)"),
            new Component("cls", "sequence classification into labels_num classes"),
            new Component("sp", "sentence prediction: is segment B the continuation of A"));

    /** Choices of the single-valued switches, by config key. */
    public static final Map<String, List<String>> CHOICES = choices();

    private static Map<String, List<String>> choices() {
        Map<String, List<String>> c = new LinkedHashMap<>();
        c.put("mask", List.of("causal", "fully_visible", "causal_with_prefix"));
        c.put("layernorm_positioning", List.of("pre", "post"));
        c.put("layernorm", List.of("normal", "rms"));
        c.put("feed_forward", List.of("dense", "gated"));
        c.put("hidden_act", List.of("gelu_fast", "gelu_new", "gelu", "relu", "silu"));
        c.put("rotary", List.of("none", "half", "interleaved"));
        c.put("model_type", List.of("auto", "gpt2", "gptj", "llama", "layerwise"));
        c.put("optimizer", List.of("adamw", "sgd"));
        c.put("decay", List.of("cosine", "linear", "constant"));
        c.put("pooling", List.of("auto", "first", "last", "mean"));
        return java.util.Collections.unmodifiableMap(c);
    }

    public static Optional<Component> find(List<Component> registry, String name) {
        return registry.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public static List<String> names(List<Component> registry) {
        return registry.stream().map(Component::name).toList();
    }
}
