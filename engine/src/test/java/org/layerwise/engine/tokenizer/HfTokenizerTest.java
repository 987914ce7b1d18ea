package org.layerwise.engine.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.checkpoint.CheckpointException;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HfTokenizerTest {

    private static Path resource(String folder) throws URISyntaxException {
        return Path.of(HfTokenizerTest.class.getResource("/tokenizer/" + folder + "/tokenizer.json").toURI()).getParent();
    }

    @Test
    void wordLevelGivesIdsAndOffsetsIntoTheOriginalText() throws Exception {
        String text = "The Eiffel Tower is in Paris.";
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("wordlevel"))) {
            Encoding e = tokenizer.encode(text);
            assertThat(e.ids()).containsExactly(2, 3, 4, 5, 6, 7, 9);
            assertThat(e.tokens()).containsExactly("the", "eiffel", "tower", "is", "in", "paris", ".");
            assertThat(e.charStarts()).containsExactly(0, 4, 11, 17, 20, 23, 28);
            assertThat(e.charEnds()).containsExactly(3, 10, 16, 19, 22, 28, 29);
            for (int i = 0; i < e.length(); i++) {
                // the Lowercase normalizer keeps alignment: each span is the token in the original case
                assertThat(text.substring(e.charStarts()[i], e.charEnds()[i]).toLowerCase()).isEqualTo(e.tokens()[i]);
            }
            int subject = text.indexOf("Eiffel Tower");
            assertThat(tokenizer.tokenPositions(e, subject, subject + "Eiffel Tower".length())).containsExactly(1, 2);
            assertThat(tokenizer.vocabularySize()).isEqualTo(10);
        }
    }

    @Test
    void specialTokensOnlyWhenAsked() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("wordlevel"))) {
            Encoding plain = tokenizer.encode("Rome is in Berlin");
            assertThat(plain.ids()).containsExactly(8, 5, 6, 0);   // Berlin is unknown
            Encoding withBos = tokenizer.encode("Rome is in Berlin", true);
            assertThat(withBos.ids()).containsExactly(1, 8, 5, 6, 0);
            assertThat(withBos.charStarts()[0]).isZero();
            assertThat(withBos.charEnds()[0]).isZero();
            // the BOS token covers no character, so a subject never maps to it
            assertThat(withBos.positionsCovering(0, 4)).containsExactly(1);
            assertThat(tokenizer.decode(new int[] {1, 2, 3, 4})).isEqualTo("[BOS] the eiffel tower");
            assertThat(tokenizer.decode(new int[] {1, 2, 3, 4}, true)).isEqualTo("the eiffel tower");
        }
    }

    @Test
    void byteLevelBpeAppliesMergesAndRoundTrips() throws Exception {
        String text = "The Eiffel Tower is in Paris";
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("bytelevel-bpe"))) {
            Encoding e = tokenizer.encode(text);
            assertThat(e.tokens()).containsExactly("The", "ĠEiffel", "ĠTower", "Ġis", "Ġin", "ĠParis");
            assertThat(e.ids()).containsExactly(26, 37, 42, 43, 45, 31);
            // GPT-2 style: offsets are not trimmed, so a word's span starts at the space before it
            assertThat(e.charStarts()).containsExactly(0, 3, 10, 16, 19, 22);
            assertThat(e.charEnds()).containsExactly(3, 10, 16, 19, 22, 28);
            int subject = text.indexOf("Eiffel Tower");
            assertThat(tokenizer.tokenPositions(e, subject, subject + "Eiffel Tower".length())).containsExactly(1, 2);
            assertThat(tokenizer.tokenPositions(e, text.indexOf("Paris"), text.length())).containsExactly(5);
            assertThat(tokenizer.decode(e.ids())).isEqualTo(text);
            assertThat(tokenizer.vocabularySize()).isEqualTo(50);
        }
    }

    @Test
    void offsetsCountJavaCharsAcrossMultiByteAndAstralCharacters() throws Exception {
        String text = "café 😀 Paris";
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("bytelevel-bpe"))) {
            Encoding e = tokenizer.encode(text);
            // é is two bytes merged into one token; the emoji is four byte tokens of one code point (two chars)
            assertThat(e.tokens()).containsExactly("cafÃ©", "Ġ", "ð", "Ł", "ĺ", "Ģ", "ĠParis");
            assertThat(e.ids()).containsExactly(49, 17, 20, 21, 22, 23, 31);
            assertThat(e.charStarts()).containsExactly(0, 4, 5, 5, 5, 5, 7);
            assertThat(e.charEnds()).containsExactly(4, 5, 7, 7, 7, 7, 13);
            int paris = text.indexOf("Paris");
            assertThat(e.positionsCovering(paris, paris + 5)).containsExactly(6);
            int emoji = text.indexOf("😀");
            assertThat(e.positionsCovering(emoji, emoji + 2)).containsExactly(2, 3, 4, 5);
            assertThat(tokenizer.decode(e.ids())).isEqualTo(text);
        }
    }

    @Test
    void addedSpecialTokenInTheTextIsOneToken() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("bytelevel-bpe"))) {
            Encoding e = tokenizer.encode("Paris<|endoftext|>");
            assertThat(e.tokens()).containsExactly("P", "ar", "is", "<|endoftext|>");
            assertThat(e.ids()).containsExactly(3, 28, 30, 0);
            assertThat(e.charStarts()[3]).isEqualTo(5);
            assertThat(e.charEnds()[3]).isEqualTo(18);
            assertThat(tokenizer.decode(e.ids(), true)).isEqualTo("Paris");
        }
    }

    @Test
    void idsOutsideTheVocabularyAreRefused() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("bytelevel-bpe"))) {
            assertThatThrownBy(() -> tokenizer.decode(new int[] {26, 50}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token id 50");
            assertThatThrownBy(() -> tokenizer.decode(new int[] {-1}))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void loneSurrogatesBecomeReplacementCharactersWithoutShiftingOffsets() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("wordlevel"))) {
            String text = "rome \uD800 paris";
            Encoding e = tokenizer.encode(text);
            int paris = text.indexOf("paris");
            assertThat(e.charStarts()[e.length() - 1]).isEqualTo(paris);
            assertThat(e.ids()[e.length() - 1]).isEqualTo(7);
        }
    }

    @Test
    void missingTokenizerNamesTheFolder(@TempDir Path dir) {
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("no tokenizer.json in " + dir);
    }

    @Test
    void brokenTokenizerFilesGiveCheckpointExceptions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"vocab\": {\"a\": 0}");
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid JSON");
        Files.writeString(file, "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString());
        Files.writeString(file, "{\"version\": \"1.0\"}");
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no model vocabulary");
    }
}
