package org.layerwise.playground.method;

import org.layerwise.engine.model.GenerationConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The playground's decoding choices, checked before a job starts so a bad value is reported at once
 * (not as a failed run). Stop strings are one text field: separated by {@code |}, with {@code \n},
 * {@code \t}, {@code \|} and {@code \\} escapes.
 *
 * @param distributionSize how many next tokens the distribution view lists
 */
public record DecodingSettings(int maxNewTokens, double temperature, int topK, double topP, long seed,
                               String stopStrings, int distributionSize) {
    public static final int MAX_NEW_TOKENS_LIMIT = 4096;

    public static DecodingSettings defaults() {
        return new DecodingSettings(64, 0.8, 40, 0.95, 42, "", 10);
    }

    /** Throws IllegalArgumentException naming the setting and its allowed range. */
    public DecodingSettings validate() {
        require(maxNewTokens >= 1 && maxNewTokens <= MAX_NEW_TOKENS_LIMIT,
                "Max new tokens must be between 1 and " + MAX_NEW_TOKENS_LIMIT + " (was " + maxNewTokens + ")");
        require(temperature >= 0 && Double.isFinite(temperature),
                "Temperature must be 0 (greedy) or positive (was " + temperature + ")");
        require(topK >= 0, "Top-k must be 0 (off) or positive (was " + topK + ")");
        require(topP > 0 && topP <= 1, "Top-p must be in (0, 1]; 1 switches it off (was " + topP + ")");
        require(distributionSize >= 1 && distributionSize <= 100,
                "Tokens shown must be between 1 and 100 (was " + distributionSize + ")");
        parseStops(stopStrings);
        return this;
    }

    public GenerationConfig toConfig() {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, parseStops(stopStrings), true);
    }

    /** The run's parameters as stored with it. */
    public Map<String, Object> toParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_new_tokens", maxNewTokens);
        m.put("temperature", temperature);
        m.put("top_k", topK);
        m.put("top_p", topP);
        m.put("seed", seed);
        m.put("stop_strings", parseStops(stopStrings));
        m.put("distribution_size", distributionSize);
        return m;
    }

    /** "a|b\\|c|\\n" → ["a", "b|c", "\n"]; empty parts are dropped. */
    public static List<String> parseStops(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) return out;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new IllegalArgumentException("Stop strings end with a lone backslash; write \\\\ for a backslash");
                }
                char n = text.charAt(++i);
                switch (n) {
                    case 'n' -> cur.append('\n');
                    case 't' -> cur.append('\t');
                    case '|' -> cur.append('|');
                    case '\\' -> cur.append('\\');
                    default -> throw new IllegalArgumentException("Unknown escape \\" + n
                            + " in stop strings; use \\n, \\t, \\| or \\\\");
                }
            } else if (c == '|') {
                if (cur.length() > 0) out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
