package org.layerwise.engine.data.nlu;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.tokenizer.WordLevelVocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The NLU decoder models' word-level vocabulary: every lower-cased word of the corpus's prompts, rationales and
 * labels (held-out tasks included, so they have no unknown words). The tokenizer.json is the encoder one with a
 * decoder's post-processor: {@code [CLS]} in front as BOS and nothing after, so generation continues the prompt;
 * {@code [SEP]} ends every training target and is the models' EOS.
 */
public final class NluVocabulary {
    public static final String BOS = "[CLS]", EOS = "[SEP]";
    private static final JsonMapper JSON = new JsonMapper();

    private NluVocabulary() {}

    public static WordLevelVocabulary build(NluCorpus corpus) {
        List<String> texts = new ArrayList<>();
        for (var task : corpus.tasks().values())
            for (var split : task.values())
                for (NluRecord r : split) {
                    texts.add(NluPrompt.direct(r));
                    texts.add(NluPrompt.cot(r));
                    texts.add(NluPrompt.rationaleTarget(r));
                    texts.add(r.label() + " because");
                }
        return WordLevelVocabulary.build(texts, true, 1, 4096);
    }

    /** The decoder tokenizer.json of {@code vocabulary}. */
    public static ObjectNode decoderTokenizerJson(WordLevelVocabulary vocabulary) {
        ObjectNode root = vocabulary.toTokenizerJson();
        ObjectNode post = (ObjectNode) root.get("post_processor");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode specials = post.putObject("special_tokens");
        ObjectNode n = specials.putObject(BOS);
        n.put("id", BOS);
        n.putArray("ids").add(vocabulary.id(BOS));
        n.putArray("tokens").add(BOS);
        return root;
    }

    public static void write(WordLevelVocabulary vocabulary, Path file) throws IOException {
        AtomicFiles.writeBytes(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(decoderTokenizerJson(vocabulary)));
    }
}
