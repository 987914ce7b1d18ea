package org.layerwise.probeedit.method.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Named word lists for summed-probability curves: the shipped ones (stop-words, non-factual words, unrelated
 * words; {@code token-sets.json} next to this class), a user's JSON object {@code {"name": ["word", ...]}}, and
 * "related factual words" made from a data set's original answers.
 */
public final class TokenSets {
    public static final String RELATED = "related factual words";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenSets() {}

    /** The shipped sets, in file order. */
    public static Map<String, List<String>> defaults() {
        try (InputStream in = TokenSets.class.getResourceAsStream("token-sets.json")) {
            if (in == null) throw new IllegalStateException("token-sets.json is missing from the plugin jar");
            return parse(JSON.readTree(in), "token-sets.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object of word lists; keys starting with "_" are comments. */
    public static Map<String, List<String>> read(Path file) throws IOException {
        try {
            return parse(JSON.readTree(file.toFile()), file.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The distinct original answers of a data set: the words the probe's facts are about. */
    public static List<String> relatedWords(List<ProbeRequest> requests) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (ProbeRequest r : requests) out.add(r.original().strip());
        return List.copyOf(out);
    }

    private static Map<String, List<String>> parse(JsonNode root, String where) {
        if (root == null || !root.isObject())
            throw new IllegalArgumentException(where + " must be a JSON object of word lists, e.g. {\"stop-words\": [\"the\", \"of\"]}");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("_")) continue;
            if (!e.getValue().isArray())
                throw new IllegalArgumentException(where + ": set '" + e.getKey() + "' must be an array of words");
            List<String> words = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                if (!w.isTextual() || w.asText().isBlank())
                    throw new IllegalArgumentException(where + ": set '" + e.getKey() + "' has an entry that is not a word: " + w);
                words.add(w.asText().strip());
            }
            if (words.isEmpty()) throw new IllegalArgumentException(where + ": set '" + e.getKey() + "' is empty");
            out.put(e.getKey(), List.copyOf(words));
        }
        return Collections.unmodifiableMap(out);
    }
}
