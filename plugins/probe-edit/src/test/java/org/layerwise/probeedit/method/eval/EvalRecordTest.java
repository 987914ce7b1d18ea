package org.layerwise.probeedit.method.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.probeedit.method.edit.FactsModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvalRecordTest {
    @Test
    void readsTheSampleCounterFactSetAndZsre(@TempDir Path dir) throws Exception {
        List<EvalRecord> cf = EvalRecord.read(FactsModel.repo().resolve("sample-data/world/counterfact.json"));
        assertThat(cf).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(cf).allSatisfy(r -> {
            assertThat(r.paraphrases()).isNotEmpty();
            assertThat(r.neighbourhood()).isNotEmpty().hasSameSizeAs(r.neighbourhoodAnswers());
            assertThat(r.neighbourhoodAnswers()).doesNotContain(r.request().targetNew());
        });
        Path z = Files.writeString(dir.resolve("z.json"), "[{\"subject\":\"Watts Humphrey\",\"src\":\"What university did Watts Humphrey attend?\","
                + "\"rephrase\":\"What university did Watts Humphrey take part in?\",\"alt\":\"University of Michigan\","
                + "\"answers\":[\"Illinois Institute of Technology\"],\"loc\":\"nq question: who played desmond doss father in hacksaw ridge\","
                + "\"loc_ans\":\"Hugo Weaving\"}]");
        EvalRecord r = EvalRecord.read(z).get(0);
        assertThat(r.format()).isEqualTo(EvalRecord.Format.ZSRE);
        assertThat(r.request().prompt()).isEqualTo("What university did {} attend?");
        assertThat(r.request().targetNew()).isEqualTo("University of Michigan");
        assertThat(r.neighbourhoodAnswers()).containsExactly("Hugo Weaving");
    }

    @Test
    void malformedRecordsNameTheRecordAndField(@TempDir Path dir) throws Exception {
        String ok = "{\"case_id\":5,\"requested_rewrite\":{\"prompt\":\"The capital of {} is\",\"subject\":\"France\","
                + "\"target_new\":{\"str\":\"Berlin\"},\"target_true\":{\"str\":\"Paris\"}},\"paraphrase_prompts\":[],\"neighborhood_prompts\":[]}";
        Path noTarget = Files.writeString(dir.resolve("a.json"), "[" + ok + "," + ok.replace("\"case_id\":5", "\"case_id\":9")
                .replace("\"target_new\":{\"str\":\"Berlin\"}", "\"target_new\":{}") + "]");
        assertThatThrownBy(() -> EvalRecord.read(noTarget)).hasMessageContaining("a.json").hasMessageContaining("record 1")
                .hasMessageContaining("case_id 9").hasMessageContaining("requested_rewrite.target_new.str");
        Path noBraces = Files.writeString(dir.resolve("b.json"), "[" + ok.replace("The capital of {} is", "The capital is") + "]");
        assertThatThrownBy(() -> EvalRecord.read(noBraces)).hasMessageContaining("record 0").hasMessageContaining("requested_rewrite.prompt");
        Path badArray = Files.writeString(dir.resolve("c.json"), "[" + ok.replace("\"paraphrase_prompts\":[]", "\"paraphrase_prompts\":[3]") + "]");
        assertThatThrownBy(() -> EvalRecord.read(badArray)).hasMessageContaining("paraphrase_prompts[0]");
        Path notArray = Files.writeString(dir.resolve("d.json"), "{}");
        assertThatThrownBy(() -> EvalRecord.read(notArray)).hasMessageContaining("JSON array");
    }

    @Test
    void ngramEntropyMatchesHandComputation() {
        // "a b a b": bigrams ab, ba, ab → H = −(2/3 log2 2/3 + 1/3 log2 1/3) = 0.9183; trigrams aba, bab → 1
        double h2 = -(2.0 / 3 * Math.log(2.0 / 3) + 1.0 / 3 * Math.log(1.0 / 3)) / Math.log(2);
        assertThat(NgramEntropy.of("a b a b")).isCloseTo((2.0 / 3 * h2 + 4.0 / 3 * 1.0) / 2, within(1e-12));
        assertThat(NgramEntropy.of("x x x x x")).isZero();
        assertThat(EditEvaluation.harmonic(100, 50, 100)).isCloseTo(75, within(1e-12));
    }
}
