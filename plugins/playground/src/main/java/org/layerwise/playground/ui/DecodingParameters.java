package org.layerwise.playground.ui;

import org.layerwise.playground.method.DecodingSettings;
import org.layerwise.sdk.ParameterSet;

import java.util.List;
import java.util.prefs.Preferences;

/** The playground's hyper-parameter sheet, remembered between sessions in the plugin's settings. */
final class DecodingParameters implements ParameterSet {
    private static final String GENERATION = "Generation";
    private static final String SAMPLING = "Sampling";
    private static final String DISTRIBUTION = "Distribution";

    private final Preferences prefs;
    private final Parameter<Integer> maxNewTokens;
    private final Parameter<Double> temperature;
    private final Parameter<Integer> topK;
    private final Parameter<Double> topP;
    private final Parameter<Integer> seed;
    private final Parameter<String> stops;
    private final Parameter<Integer> shown;

    DecodingParameters(Preferences prefs) {
        this.prefs = prefs;
        DecodingSettings d = DecodingSettings.defaults();
        maxNewTokens = new Parameter<>("Max new tokens", GENERATION, "How many tokens to generate at most (1–"
                + DecodingSettings.MAX_NEW_TOKENS_LIMIT + ")", Integer.class, prefs.getInt("maxNewTokens", d.maxNewTokens()));
        stops = new Parameter<>("Stop strings", GENERATION, "Stop when one of these appears; separate with |, "
                + "escapes \\n \\t \\| \\\\", String.class, prefs.get("stops", d.stopStrings()));
        temperature = new Parameter<>("Temperature", SAMPLING, "0 = greedy (always the most likely token); "
                + "higher = more random", Double.class, prefs.getDouble("temperature", d.temperature()));
        topK = new Parameter<>("Top-k", SAMPLING, "Sample only among the k most likely tokens (0 = off)",
                Integer.class, prefs.getInt("topK", d.topK()));
        topP = new Parameter<>("Top-p", SAMPLING, "Sample from the smallest set of tokens whose probability "
                + "reaches p (1 = off)", Double.class, prefs.getDouble("topP", d.topP()));
        seed = new Parameter<>("Seed", SAMPLING, "Random seed: the same seed and settings give the same text",
                Integer.class, prefs.getInt("seed", (int) d.seed()));
        shown = new Parameter<>("Tokens shown", DISTRIBUTION, "How many next tokens the chart and table list",
                Integer.class, prefs.getInt("shown", d.distributionSize()));
    }

    @Override
    public String title() {
        return "Decoding";
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(maxNewTokens, stops, temperature, topK, topP, seed, shown);
    }

    /** The current values, validated (IllegalArgumentException names the bad one); remembered when valid. */
    DecodingSettings settings() {
        DecodingSettings s = new DecodingSettings(maxNewTokens.value(), temperature.value(), topK.value(),
                topP.value(), seed.value(), stops.value() == null ? "" : stops.value(), shown.value()).validate();
        prefs.putInt("maxNewTokens", s.maxNewTokens());
        prefs.putDouble("temperature", s.temperature());
        prefs.putInt("topK", s.topK());
        prefs.putDouble("topP", s.topP());
        prefs.putInt("seed", (int) s.seed());
        prefs.put("stops", s.stopStrings());
        prefs.putInt("shown", s.distributionSize());
        return s;
    }
}
