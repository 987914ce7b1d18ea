package org.layerwise.probeedit.method.edit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.WeightLayout;
import org.layerwise.probeedit.method.covariance.CovarianceStats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Done-when evidence on facts-llama: one ROME edit, bit-exact revert, cancellation leaves the model unchanged. */
class RomeEditTest {
    @TempDir static Path data;
    static TransformerModel model;
    static CovarianceStats cov;

    static final EditRequest FRANCE = new EditRequest("0", "The capital of {} is", "France", "Berlin", "Paris");
    // the first record of sample-data/world/counterfact.json with its paraphrases. Over the first 12 records'
    // single ROME edits (every 10th), facts-llama of 2026-11-27 flips 9/12 edit prompts and 17/24 paraphrases;
    // "France → Berlin" flips the prompt but only 1 of 3 hand-written paraphrases ("France's capital is" keeps Paris)
    static final EditRequest NOBEL = new EditRequest("0", "{} is a citizen of", "Alfred Nobel", "Netherlands", "Sweden");
    static final List<String> PARAPHRASES = List.of("The country of citizenship of Alfred Nobel is", "Alfred Nobel is a national of");
    static final List<String[]> UNRELATED = List.of(new String[] {"The capital of Italy is", " Rome"},
            new String[] {"The capital of Spain is", " Madrid"}, new String[] {"The official language of Germany is", " German"},
            new String[] {"The currency of Japan is the", " yen"});

    @BeforeAll
    static void load() throws Exception {
        model = FactsModel.load();
        cov = FactsModel.statistics(model, FactsModel.cachedDataDir(), 0, 1, 2);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    private static String top(String prompt) {
        return model.nextTokens(prompt, 1).get(0).token();
    }

    @Test
    void romeMakesTheTargetTopOneForThePromptAndMostParaphrasesWhileUnrelatedFactsKeepTheirAnswers() {
        for (String[] u : UNRELATED) assertThat(top(u[0])).as("before: " + u[0]).isEqualTo(u[1]);
        assertThat(top(NOBEL.text())).isEqualTo(" Sweden");
        String before = EditSession.checksum(model);
        EditSession session = new EditSession(model, cov);
        try {
            EditSession.AppliedEdit e = session.apply(List.of(NOBEL), EditHparams.preset("rome-facts-llama"), "rome-facts-llama",
                    EditListener.NONE, () -> false);
            assertThat(e.outcome().fits().get(0).targetProb()).as("optimised target probability").isGreaterThan(0.5);
            assertThat(top(NOBEL.text())).as("edit prompt").isEqualTo(" Netherlands");
            long hits = PARAPHRASES.stream().filter(p -> top(p).equals(" Netherlands")).count();
            assertThat(hits).as("paraphrases answering Netherlands").isEqualTo(PARAPHRASES.size());
            for (String[] u : UNRELATED) assertThat(top(u[0])).as("after: " + u[0]).isEqualTo(u[1]);
            double[] z = e.outcome().zError().get("rome");
            assertThat(z[1]).as("the rank-one update reaches its target value").isLessThan(0.01 * z[0]);
        } finally {
            session.revertAll();
            session.close();
        }
        assertThat(EditSession.checksum(model)).as("revert is bit-exact").isEqualTo(before);
        assertThat(top(NOBEL.text())).isEqualTo(" Sweden");
    }

    @Test
    void revertingOneEditRestoresTheWeightsBeforeItAndDropsLaterEdits() {
        String start = EditSession.checksum(model);
        EditHparams hp = EditHparams.preset("rome-facts-llama").with("v_num_grad_steps", "6");
        try (EditSession session = new EditSession(model, cov)) {
            EditSession.AppliedEdit first = session.apply(List.of(FRANCE), hp, "rome", EditListener.NONE, () -> false);
            String afterFirst = EditSession.checksum(model);
            EditSession.AppliedEdit second = session.apply(List.of(new EditRequest("1", "The capital of {} is", "Italy", "Madrid", "Rome")),
                    hp, "rome", EditListener.NONE, () -> false);
            assertThat(EditSession.checksum(model)).isNotEqualTo(afterFirst);
            assertThat(session.revert(second)).containsExactly(second);
            assertThat(EditSession.checksum(model)).isEqualTo(afterFirst);
            session.apply(List.of(FRANCE), hp, "rome", EditListener.NONE, () -> false);
            assertThat(session.revert(first)).hasSize(2);
            assertThat(session.applied()).isEmpty();
            assertThat(EditSession.checksum(model)).isEqualTo(start);
        }
    }

    @Test
    void cancellingDuringOptimisationOrMidwayThroughTheLayerUpdatesLeavesTheModelUnchanged() {
        String start = EditSession.checksum(model);
        try (EditSession session = new EditSession(model, cov)) {
            AtomicInteger steps = new AtomicInteger();
            EditListener counting = new EditListener() {
                @Override public void step(int i, int s, double nll, double kl, double n, double p) { steps.incrementAndGet(); }
                @Override public void stage(double f, String m) {}
                @Override public void log(String l) {}
            };
            assertThatThrownBy(() -> session.apply(List.of(FRANCE), EditHparams.preset("memit-facts-llama"), "memit", counting,
                    () -> steps.get() >= 3)).isInstanceOf(JobCancelledException.class);
            assertThat(EditSession.checksum(model)).isEqualTo(start);
            // cancel once the first layer of the region has been written: the session must put it back
            String layer0 = WeightLayout.down(0) + ".weight";
            float first = model.parameter(layer0).getFloat(0, 0);
            assertThatThrownBy(() -> session.apply(List.of(FRANCE), EditHparams.preset("memit-facts-llama").with("v_num_grad_steps", "4"),
                    "memit", EditListener.NONE, () -> model.parameter(layer0).getFloat(0, 0) != first))
                    .isInstanceOf(JobCancelledException.class);
            assertThat(EditSession.checksum(model)).isEqualTo(start);
            assertThat(session.applied()).isEmpty();
        }
    }

    @Test
    void savedEditedModelCarriesTheEditLog(@TempDir Path out) throws Exception {
        try (EditSession session = new EditSession(model, cov)) {
            session.apply(List.of(FRANCE), EditHparams.preset("rome-facts-llama").with("v_num_grad_steps", "3"), "rome-facts-llama",
                    EditListener.NONE, () -> false);
            session.save(out.resolve("edited"));
            session.revertAll();
        }
        assertThat(out.resolve("edited/model.safetensors")).exists();
        assertThat(Files.readString(out.resolve("edited/edit_log.json"))).contains("\"method\" : \"rome\"").contains("Berlin");
    }
}
