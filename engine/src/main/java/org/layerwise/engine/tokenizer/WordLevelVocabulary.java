package org.layerwise.engine.tokenizer;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level vocabulary built from a corpus, for encoder (BERT-style) and NLU models: words are runs
 * of letters/digits/underscore or runs of punctuation (the tokenizers library's {@code Whitespace}
 * pre-tokenizer), optionally lower-cased; words seen fewer than {@code minCount} times map to
 * {@code [UNK]}. Written as a {@code tokenizer.json} whose post-processor adds {@code [CLS] … [SEP]}
 * (and {@code [SEP]} between a pair) when special tokens are asked for.
 */
public final class WordLevelVocabulary {

    public static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    /** The same split as the tokenizers library's Whitespace pre-tokenizer ({@code \w+|[^\w\s]+}, Unicode-aware). */
    private static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final JsonMapper JSON = new JsonMapper();

    private final Map<String, Integer> vocab;
    private final boolean lowercase;

    private WordLevelVocabulary(Map<String, Integer> vocab, boolean lowercase) {
        this.vocab = Collections.unmodifiableMap(vocab);
        this.lowercase = lowercase;
    }

    /**
     * Counts the words of {@code texts} and keeps those seen at least {@code minCount} times, most
     * frequent first (ties alphabetically, so the ids never depend on the corpus order), at most
     * {@code maxSize} entries including the special tokens.
     */
    public static WordLevelVocabulary build(Iterable<String> texts, boolean lowercase, int minCount, int maxSize) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be at least 1, not " + minCount);
        }
        if (maxSize <= SPECIAL_TOKENS.size()) {
            throw new IllegalArgumentException("maxSize " + maxSize + " leaves no room beside the "
                    + SPECIAL_TOKENS.size() + " special tokens " + SPECIAL_TOKENS);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            for (String w : words(text, lowercase)) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : SPECIAL_TOKENS) {
            vocab.put(s, vocab.size());
        }
        for (Map.Entry<String, Integer> e : ranked) {
            if (vocab.size() >= maxSize || e.getValue() < minCount) {
                break;
            }
            vocab.putIfAbsent(e.getKey(), vocab.size());
        }
        return new WordLevelVocabulary(vocab, lowercase);
    }

    /** The words of {@code text} as the tokenizer.json written by this class splits it. */
    public static List<String> words(String text, boolean lowercase) {
        String t = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        List<String> out = new ArrayList<>();
        Matcher m = WORDS.matcher(t);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    public Map<String, Integer> vocab() {
        return vocab;
    }

    public int size() {
        return vocab.size();
    }

    public int id(String token) {
        return vocab.getOrDefault(token, vocab.get("[UNK]"));
    }

    public ObjectNode toTokenizerJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : SPECIAL_TOKENS) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.get(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        if (lowercase) {
            root.putObject("normalizer").put("type", "Lowercase");
        } else {
            root.putNull("normalizer");
        }
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, "[CLS]", 0);
        sequence(single, "A", 0);
        special(single, "[SEP]", 0);
        ArrayNode pair = post.putArray("pair");
        special(pair, "[CLS]", 0);
        sequence(pair, "A", 0);
        special(pair, "[SEP]", 0);
        sequence(pair, "B", 1);
        special(pair, "[SEP]", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String s : List.of("[CLS]", "[SEP]")) {
            ObjectNode n = specials.putObject(s);
            n.put("id", s);
            n.putArray("ids").add(vocab.get(s));
            n.putArray("tokens").add(s);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        model.put("unk_token", "[UNK]");
        return root;
    }

    public void writeTokenizerJson(Path file) throws IOException {
        AtomicFiles.writeBytes(file, JSON.writeValueAsBytes(toTokenizerJson()));
    }

    private static void special(ArrayNode a, String id, int type) {
        a.addObject().putObject("SpecialToken").put("id", id).put("type_id", type);
    }

    private static void sequence(ArrayNode a, String id, int type) {
        a.addObject().putObject("Sequence").put("id", id).put("type_id", type);
    }
}
