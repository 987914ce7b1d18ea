package org.layerwise.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.layerwise.engine.checkpoint.CheckpointException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by the tokenizers library through DJL (native code
 * shipped in the jar, no network). Encodings carry character offsets into the Java string, so a
 * subject string maps to its token positions.
 *
 * <p>Unlike DJL's defaults, nothing is truncated or padded, and special tokens (BOS, CLS, ...) are
 * added only when asked: knowledge probes and edits work on exactly the tokens of the text.
 */
public final class HfTokenizer implements TextTokenizer {

    public static final String FILE_NAME = "tokenizer.json";

    private static final JsonMapper JSON = new JsonMapper();

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabularySize;

    private HfTokenizer(Path file, HuggingFaceTokenizer tokenizer, int vocabularySize) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabularySize = vocabularySize;
    }

    /** Loads {@code tokenizer.json} from a model folder (or the file itself, if given). */
    public static HfTokenizer load(Path modelDir) throws CheckpointException {
        Path file = Files.isDirectory(modelDir) ? modelDir.resolve(FILE_NAME) : modelDir;
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("no " + FILE_NAME + " in " + modelDir + "; copy the model's " + FILE_NAME
                    + " into the folder (a folder with only vocab.json/merges.txt or tokenizer.model can be converted "
                    + "with: python -c \"from transformers import AutoTokenizer as T; T.from_pretrained('" + modelDir
                    + "').save_pretrained('" + modelDir + "')\")");
        }
        int vocabularySize = readVocabularySize(file);
        Map<String, String> options = Map.of(
                "addSpecialTokens", "false",
                "truncation", "false",
                "padding", "false");
        try {
            return new HfTokenizer(file, HuggingFaceTokenizer.newInstance(file, options), vocabularySize);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + " (" + e + "); check that it is readable", e);
        } catch (RuntimeException e) {
            throw new CheckpointException("the tokenizers library rejected " + file + " (" + e.getMessage()
                    + "); the file is corrupt or from a newer tokenizers version — re-download or re-save it", e);
        } catch (UnsatisfiedLinkError e) {
            throw new CheckpointException("the tokenizers native library did not load (" + e.getMessage()
                    + "), so " + file + " cannot be used; this platform may lack a bundled build", e);
        }
    }

    public Path file() {
        return file;
    }

    /** Encodes {@code text} without special tokens. */
    @Override
    public Encoding encode(String text) {
        return encode(text, false);
    }

    /** Encodes {@code text}; special tokens (e.g. BOS) get the empty span [0, 0). */
    public Encoding encode(String text, boolean addSpecialTokens) {
        // A lone surrogate cannot cross into Rust; U+FFFD keeps the UTF-16 length, so offsets still fit.
        String clean = replaceLoneSurrogates(text);
        ai.djl.huggingface.tokenizers.Encoding encoded = tokenizer.encode(clean, addSpecialTokens, false);
        long[] ids = encoded.getIds();
        CharSpan[] spans = encoded.getCharTokenSpans();
        int[] utf16Index = utf16IndexOfCodePoints(clean);
        int codePoints = utf16Index.length - 1;
        int[] intIds = new int[ids.length];
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            intIds[i] = Math.toIntExact(ids[i]);
            CharSpan span = spans[i];
            if (span != null) {
                // the library counts Unicode code points; Java strings count UTF-16 units
                starts[i] = utf16Index[Math.min(Math.max(span.getStart(), 0), codePoints)];
                ends[i] = utf16Index[Math.min(Math.max(span.getEnd(), 0), codePoints)];
            }
        }
        return new Encoding(intIds, encoded.getTokens(), starts, ends);
    }

    /** Decodes {@code ids}, special tokens included (as transformers' default does). */
    @Override
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] asLong = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabularySize) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary of " + file + " (0.." + (vocabularySize - 1) + ")");
            }
            asLong[i] = ids[i];
        }
        return tokenizer.decode(asLong, skipSpecialTokens);
    }

    /** One more than the largest token id, added tokens included: the rows an embedding needs. */
    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + file + ", " + vocabularySize + " tokens]";
    }

    private static int readVocabularySize(Path file) throws CheckpointException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + " is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + "); re-download or re-save it", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + " (" + e + "); check that it is readable", e);
        }
        JsonNode vocab = root == null ? null : root.path("model").get("vocab");
        long maxId = -1;
        if (vocab != null && vocab.isObject()) {
            // BPE, WordPiece, WordLevel: token → id
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                maxId = Math.max(maxId, e.getValue().asLong(-1));
            }
        } else if (vocab != null && vocab.isArray()) {
            // Unigram: [token, score] pairs, id = position
            maxId = vocab.size() - 1;
        } else {
            throw new CheckpointException(file + " has no model vocabulary (model.vocab); it is not a "
                    + "tokenizers JSON file — use the model's own " + FILE_NAME);
        }
        for (JsonNode added : root.path("added_tokens")) {
            maxId = Math.max(maxId, added.path("id").asLong(-1));
        }
        if (maxId < 0 || maxId >= Integer.MAX_VALUE) {
            throw new CheckpointException(file + " has an empty or impossible vocabulary (largest id " + maxId
                    + "); re-download or re-save it");
        }
        return (int) maxId + 1;
    }

    /** utf16Index[k] = UTF-16 index of code point k; the last entry is the string length. */
    private static int[] utf16IndexOfCodePoints(String text) {
        int[] index = new int[text.codePointCount(0, text.length()) + 1];
        int k = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            index[k++] = i;
        }
        index[k] = text.length();
        return index;
    }

    private static String replaceLoneSurrogates(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
