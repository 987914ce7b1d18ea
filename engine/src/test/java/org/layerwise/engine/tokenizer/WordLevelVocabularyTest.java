package org.layerwise.engine.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WordLevelVocabularyTest {

    private static final List<String> CORPUS = List.of(
            "Is 7 larger than 3? Yes.", "Is 2 larger than 9? No.", "Paris is the capital of France.",
            "Émile lives in Paris, doesn't he?", "is the cat on the mat? yes");

    @Test
    void buildsAVocabularyTheTokenizersLibraryAppliesTheSameWay(@TempDir Path dir) throws Exception {
        WordLevelVocabulary v = WordLevelVocabulary.build(CORPUS, true, 1, 1000);
        assertThat(v.vocab().keySet()).startsWith("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
        // most frequent first ("?" and "is" 4 times, "." and "the" 3 times), ties alphabetically
        assertThat(v.vocab().get("?")).isEqualTo(5);
        assertThat(v.vocab().get("is")).isEqualTo(6);
        assertThat(v.vocab().get(".")).isEqualTo(7);
        assertThat(v.vocab().get("the")).isEqualTo(8);
        Path file = dir.resolve("tokenizer.json");
        v.writeTokenizerJson(file);
        try (HfTokenizer t = HfTokenizer.load(file)) {
            assertThat(t.vocabularySize()).isEqualTo(v.size());
            for (String text : CORPUS) {
                Encoding e = t.encode(text);
                List<String> words = WordLevelVocabulary.words(text, true);
                assertThat(e.tokens()).as(text).containsExactlyElementsOf(words);
                assertThat(e.ids()).doesNotContain(v.id("[UNK]"));
                for (int i = 0; i < e.length(); i++) {
                    assertThat(e.ids()[i]).isEqualTo(v.id(words.get(i)));
                }
            }
            Encoding e = t.encode("Is Rome larger?", true);
            assertThat(e.tokens()).containsExactly("[CLS]", "is", "[UNK]", "larger", "?", "[SEP]");
            assertThat(t.encode("émile doesn't").tokens()).containsExactly("émile", "doesn", "'", "t");
        }
    }

    @Test
    void rareWordsAndSizeLimitGoToUnknown() {
        WordLevelVocabulary v = WordLevelVocabulary.build(CORPUS, true, 2, 1000);
        assertThat(v.vocab()).containsKeys("is", "the", "larger", "than", "paris", "yes", "?", ".");
        assertThat(v.vocab()).doesNotContainKeys("cat", "france");
        assertThat(v.id("cat")).isEqualTo(1);
        WordLevelVocabulary small = WordLevelVocabulary.build(CORPUS, false, 1, 7);
        assertThat(small.size()).isEqualTo(7);
        assertThat(small.vocab()).containsKeys("?", ".").doesNotContainKeys("the", "Paris");
        assertThatThrownBy(() -> WordLevelVocabulary.build(CORPUS, true, 0, 100)).hasMessageContaining("minCount");
        assertThatThrownBy(() -> WordLevelVocabulary.build(CORPUS, true, 1, 5)).hasMessageContaining("special tokens");
    }
}
