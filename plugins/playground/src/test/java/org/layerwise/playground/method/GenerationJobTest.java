package org.layerwise.playground.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.LanguageModel.TokenProbability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GenerationJobTest {
    private static final List<TokenProbability> NEXT = List.of(
            new TokenProbability(6342, " Paris", 0.5), new TokenProbability(3482, " London", 0.25),
            new TokenProbability(11, ",", 0.125));

    @Test
    void streamsEachPieceAndRecordsTheRun() throws Exception {
        List<String> pieces = Collections.nCopies(20, " la");
        ScriptedModel model = new ScriptedModel(NEXT, pieces);
        RecordingContext ctx = new RecordingContext();
        List<String> streamed = new ArrayList<>();
        List<NextTokenDistribution> shown = new ArrayList<>();
        DecodingSettings settings = new DecodingSettings(16, 0, 0, 1, 1, "", 2);

        Generation g = new GenerationJob(model, "Paris is", settings, shown::add, streamed::add).run(ctx);

        assertThat(streamed).hasSize(16).allMatch(" la"::equals);
        assertThat(g.text()).isEqualTo(" la".repeat(16));
        assertThat(shown).singleElement().satisfies(d -> assertThat(d.top()).hasSize(2));
        assertThat(model.configs).singleElement().satisfies(c -> assertThat(c.maxNewTokens()).isEqualTo(16));
        // throughput every 8 tokens and once at the end; the distribution's metrics at step 0
        assertThat(ctx.metrics).containsExactly("top1_probability@0", "top_k_mass@0",
                "tokens_per_second@8", "tokens_per_second@16", "tokens_per_second@16");
        assertThat(ctx.traces).hasSize(2);
        JsonNode event = new ObjectMapper().readTree(ctx.traces.get(1).substring("generation ".length()));
        assertThat(event.get("text").asText()).isEqualTo(g.text());
        assertThat(event.get("finish_reason").asText()).isEqualTo("length");
        assertThat(event.get("new_tokens").asInt()).isEqualTo(16);
        assertThat(ctx.progress).last().asString().contains("16 tokens");
    }

    @Test
    void cancellingStopsBetweenTokens() {
        ScriptedModel model = new ScriptedModel(NEXT, Collections.nCopies(50, "x"));
        RecordingContext ctx = new RecordingContext();
        ctx.cancelAfterProgress = 5; // 1 progress before the distribution, then one per token
        List<String> streamed = new ArrayList<>();

        assertThatThrownBy(() -> new GenerationJob(model, "p", new DecodingSettings(50, 1, 0, 1, 1, "", 3),
                d -> { }, streamed::add).run(ctx)).isInstanceOf(JobCancelledException.class);
        assertThat(streamed).hasSize(4);
        assertThat(ctx.traces).noneMatch(t -> t.startsWith("generation"));
    }

    @Test
    void invalidSettingsFailBeforeAnyWork() {
        ScriptedModel model = new ScriptedModel(NEXT, List.of("x"));
        assertThatThrownBy(() -> new GenerationJob(model, "p", new DecodingSettings(1, -1, 0, 1, 1, "", 3),
                d -> { }, s -> { })).hasMessageContaining("Temperature");
        assertThat(model.configs).isEmpty();
    }

    @Test
    void nextTokenJobRecordsTheDistribution() throws Exception {
        RecordingContext ctx = new RecordingContext();
        NextTokenDistribution d = new NextTokenJob(new ScriptedModel(NEXT, List.of()), "The capital", 3).run(ctx);
        assertThat(d.top()).extracting(TokenProbability::token).containsExactly(" Paris", " London", ",");
        assertThat(d.coveredMass()).isCloseTo(0.875, within(1e-12));
        // renormalised 4/7, 2/7, 1/7
        double h = -(4 / 7.0 * Math.log(4 / 7.0) + 2 / 7.0 * Math.log(2 / 7.0) + 1 / 7.0 * Math.log(1 / 7.0));
        assertThat(d.entropyOfShown()).isCloseTo(h, within(1e-12));
        JsonNode json = new ObjectMapper().readTree(ctx.traces.get(0).substring("next-token ".length()));
        assertThat(json.get("top").get(0).get("token").asText()).isEqualTo(" Paris");
        assertThat(json.get("covered_mass").asDouble()).isCloseTo(0.875, within(1e-12));
        assertThat(ctx.logs).singleElement().asString().contains("␣Paris");
    }
}
