package org.layerwise.engine.model;

import org.layerwise.engine.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The text of a generation as it grows, token by token: cut before the first stop string, and handed to the caller
 * only as far as no later token can take it back (not a possible start of a stop string, nor a half-decoded character).
 */
final class TextStream {
    private final TextTokenizer tokenizer;
    private final List<String> stops;
    private final Consumer<String> onToken;
    private final List<Integer> ids = new ArrayList<>();
    private String text = "";
    private int emitted;

    /** {@code stops} may be null; {@code onToken} may be null. */
    TextStream(TextTokenizer tokenizer, List<String> stops, Consumer<String> onToken) {
        this.tokenizer = tokenizer;
        this.stops = stops == null ? List.of() : stops;
        this.onToken = onToken;
    }

    /** Adds a generated token; true when the text now reaches a stop string (the text is cut before it). */
    boolean add(int id) {
        ids.add(id);
        text = tokenizer.decode(ids.stream().mapToInt(Integer::intValue).toArray());
        int cut = firstStop();
        if (cut >= 0) {
            text = text.substring(0, cut);
            return true;
        }
        int safe = safeLength();
        if (onToken != null && safe > emitted) onToken.accept(text.substring(emitted, safe));
        emitted = Math.max(emitted, safe);
        return false;
    }

    int size() { return ids.size(); }

    int get(int i) { return ids.get(i); }

    /** Hands the caller the text it has not seen yet and returns the generation. */
    Generation finish(String reason, int promptTokens, long startNanos) {
        if (onToken != null && text.length() > emitted) onToken.accept(text.substring(emitted));
        emitted = text.length();
        return new Generation(text, ids.stream().mapToInt(Integer::intValue).toArray(), reason, promptTokens,
                System.nanoTime() - startNanos);
    }

    private int firstStop() {
        int best = -1;
        for (String s : stops) {
            if (s.isEmpty()) continue;
            int i = text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }

    private int safeLength() {
        int safe = text.length();
        while (safe > 0 && text.charAt(safe - 1) == '\uFFFD') safe--;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length()); k > 0; k--) {
                if (text.endsWith(s.substring(0, k))) { safe = Math.min(safe, text.length() - k); break; }
            }
        }
        return safe;
    }
}
