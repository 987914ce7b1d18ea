package org.layerwise.flatness.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every switch of the continual-learning harness, as named typed settings. Priority: defaults &lt; method preset
 * (resources {@code presets/<method>.json}, the upstream C&amp;F values) &lt; the sequence file's {@code training}
 * block (backbone-specific: learning rate, epochs) &lt; explicit overrides (CLI {@code --set}, the UI sheet).
 */
public final class ContinualConfig {
    /** The methods with a preset. */
    public static final List<String> METHODS = List.of("seq", "replay", "ewc", "asam", "cf", "multitask");

    /** One setting: name, group, description, default. */
    public record Setting(String name, String group, String description, Object defaultValue) {}

    public static final List<Setting> SETTINGS = List.of(
            new Setting("method", "Method", "Name of the method this configuration came from", "seq"),
            new Setting("multitask", "Method", "Train on all tasks jointly (the upper bound a*)", false),
            new Setting("asam", "Create flatness", "Sharpness-aware gradient on every step", false),
            new Setting("asam_adaptive", "Create flatness", "Adaptive SAM (|w|-scaled neighbourhood) instead of plain SAM", true),
            new Setting("rho", "Create flatness", "ASAM radius ρ", 0.65),
            new Setting("penalty", "Find flatness", "Quadratic soft constraint (λ/2)ΣF(θ−θ*)² after the first task", false),
            new Setting("lambda", "Find flatness", "Soft-constraint strength λ", 5e4),
            new Setting("fisher_samples", "Find flatness", "Samples for the diagonal empirical Fisher after each task", 128),
            new Setting("fisher_decay", "Find flatness", "F ← decay·F_old + F_t", 0.95),
            new Setting("clamp", "Find flatness", "Hard constraint: clamp weights into θ* ± ρ|θ*|", false),
            new Setting("clamp_rho", "Find flatness", "Half-width of the clamp box, relative to |θ*|", 0.65),
            new Setting("replay", "Replay", "Keep a memory of each task and replay it", false),
            new Setting("replay_fraction", "Replay", "Fraction of each task's training set kept", 0.01),
            new Setting("replay_every", "Replay", "Replay one batch per old task every N steps", 20),
            new Setting("replay_kmeans", "Replay", "Choose the memory by k-means on the body's features (else at random)", true),
            new Setting("lr", "Training", "Learning rate (AdamW)", 3e-5),
            new Setting("weight_decay", "Training", "AdamW weight decay (matrices)", 0.01),
            new Setting("batch_size", "Training", "Batch size", 8),
            new Setting("epochs", "Training", "Epochs per task", 1),
            new Setting("hidden", "Training", "Hidden widths of the MLP body, comma separated", "100,100"),
            new Setting("class_incremental", "Training", "One head over all classes (class-incremental) instead of one per task", false),
            new Setting("validation_fraction", "Training", "Fraction of each task's training set held out for validation", 0.1));

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Object> values;

    private ContinualConfig(Map<String, Object> values) { this.values = values; }

    public static ContinualConfig defaults() {
        Map<String, Object> v = new LinkedHashMap<>();
        for (Setting s : SETTINGS) v.put(s.name(), s.defaultValue());
        return new ContinualConfig(v);
    }

    /** The preset of a method (seq, replay, ewc, asam, cf, multitask) over the defaults. */
    public static ContinualConfig preset(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        if (!METHODS.contains(m))
            throw new IllegalArgumentException("unknown method '" + method + "'; choose one of " + String.join(", ", METHODS));
        try (InputStream in = ContinualConfig.class.getResourceAsStream("/org/layerwise/flatness/presets/" + m + ".json")) {
            if (in == null) throw new IllegalStateException("the preset for " + m + " is missing from the plugin jar");
            return defaults().with(JSON.readTree(in), "preset " + m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** These settings with the fields of a JSON object applied (unknown keys are errors naming {@code source}). */
    public ContinualConfig with(JsonNode object, String source) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Setting s = setting(e.getKey(), source);
            JsonNode n = e.getValue();
            Object value = s.defaultValue() instanceof Boolean ? (Object) n.asBoolean()
                    : s.defaultValue() instanceof Integer ? (Object) n.asInt()
                    : s.defaultValue() instanceof Double ? (Object) n.asDouble()
                    : n.isArray() ? joined(n) : n.asText();
            v.put(s.name(), value);
        }
        return new ContinualConfig(v);
    }

    private static String joined(JsonNode array) {
        StringBuilder b = new StringBuilder();
        for (JsonNode x : array) b.append(b.isEmpty() ? "" : ",").append(x.asText());
        return b.toString();
    }

    /** One KEY=VALUE override. */
    public ContinualConfig with(String key, String value) {
        Setting s = setting(key, "the override " + key + "=" + value);
        Object parsed;
        try {
            parsed = s.defaultValue() instanceof Boolean ? parseBoolean(value)
                    : s.defaultValue() instanceof Integer ? (Object) Integer.parseInt(value.trim())
                    : s.defaultValue() instanceof Double ? (Object) Double.parseDouble(value.trim()) : value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " needs a number, not '" + value + "'");
        }
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put(s.name(), parsed);
        return new ContinualConfig(v);
    }

    /** Applies KEY=VALUE strings in order. */
    public ContinualConfig withOverrides(List<String> overrides) {
        ContinualConfig c = this;
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("override '" + o + "' is not KEY=VALUE");
            c = c.with(o.substring(0, eq).trim(), o.substring(eq + 1));
        }
        return c;
    }

    private static Boolean parseBoolean(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("1") || s.equals("yes")) return true;
        if (s.equals("false") || s.equals("0") || s.equals("no")) return false;
        throw new IllegalArgumentException("expected true or false, not '" + v + "'");
    }

    private static Setting setting(String key, String source) {
        for (Setting s : SETTINGS) if (s.name().equals(key)) return s;
        throw new IllegalArgumentException(source + " names an unknown setting '" + key + "'; known: "
                + String.join(", ", SETTINGS.stream().map(Setting::name).toList()));
    }

    public Object get(String key) { return values.get(setting(key, "code").name()); }

    public boolean flag(String key) { return (Boolean) get(key); }

    public int integer(String key) { return (Integer) get(key); }

    public double number(String key) { return (Double) get(key); }

    public String text(String key) { return String.valueOf(get(key)); }

    public String method() { return text("method"); }

    public int[] hidden() {
        String h = text("hidden").trim();
        if (h.isEmpty()) return new int[0];
        try {
            return Arrays.stream(h.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hidden must be comma-separated widths such as 100,100, not '" + h + "'");
        }
    }

    /** Checks ranges; returns this. */
    public ContinualConfig validated() {
        if (!(number("lr") > 0)) throw new IllegalArgumentException("lr must be positive, not " + number("lr"));
        if (integer("batch_size") < 1) throw new IllegalArgumentException("batch_size must be ≥ 1");
        if (integer("epochs") < 1) throw new IllegalArgumentException("epochs must be ≥ 1");
        if (!(number("rho") > 0)) throw new IllegalArgumentException("rho must be positive");
        if (number("clamp_rho") < 0) throw new IllegalArgumentException("clamp_rho must be ≥ 0");
        if (number("lambda") < 0) throw new IllegalArgumentException("lambda must be ≥ 0");
        if (integer("fisher_samples") < 1) throw new IllegalArgumentException("fisher_samples must be ≥ 1");
        double f = number("replay_fraction");
        if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("replay_fraction must be in (0, 1], not " + f);
        if (integer("replay_every") < 1) throw new IllegalArgumentException("replay_every must be ≥ 1");
        double v = number("validation_fraction");
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException("validation_fraction must be in [0, 1), not " + v);
        hidden();
        return this;
    }

    /** All values, in setting order (for the run store and the UI sheet). */
    public Map<String, Object> values() { return new LinkedHashMap<>(values); }

    public String json() {
        ObjectNode o = JSON.createObjectNode();
        values.forEach((k, x) -> o.putPOJO(k, x));
        return o.toString();
    }

    @Override public String toString() { return json(); }
}
