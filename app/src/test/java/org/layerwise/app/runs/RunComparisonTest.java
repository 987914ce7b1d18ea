package org.layerwise.app.runs;

import org.junit.jupiter.api.Test;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunComparisonTest {
    private static RunDetails run(long id, String params, List<MetricPoint> metrics) {
        RunRecord r = new RunRecord(id, "p", "k", "t" + id, params, RunStatus.SUCCEEDED, null, null,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(3));
        return new RunDetails(r, metrics, List.of(), List.of());
    }

    @Test
    void onlyMetricsBothRunsRecordedAreCompared() {
        RunComparison c = new RunComparison(
                run(1, "{}", List.of(new MetricPoint("loss", 2, 0.5), new MetricPoint("acc", 1, 0.9),
                        new MetricPoint("loss", 1, 0.7))),
                run(2, "{}", List.of(new MetricPoint("loss", 1, 0.6), new MetricPoint("ppl", 1, 9))));
        assertThat(c.commonMetrics()).containsExactly("loss");
        // series come back sorted by step
        assertThat(c.left().series().get("loss")).extracting(MetricPoint::step).containsExactly(1L, 2L);
    }

    @Test
    void parametersAreFlattenedAndDifferencesMarked() {
        RunComparison c = new RunComparison(
                run(1, "{\"lr\":0.001,\"opt\":{\"name\":\"adamw\",\"beta\":0.9},\"seed\":1}", List.of()),
                run(2, "{\"lr\":0.002,\"opt\":{\"name\":\"adamw\",\"beta\":0.9},\"layers\":[1,2]}", List.of()));
        assertThat(c.parameters()).containsExactly(
                new RunComparison.ParameterRow("layers", null, "[1,2]", true),
                new RunComparison.ParameterRow("lr", "0.001", "0.002", true),
                new RunComparison.ParameterRow("opt.beta", "0.9", "0.9", false),
                new RunComparison.ParameterRow("opt.name", "adamw", "adamw", false),
                new RunComparison.ParameterRow("seed", "1", null, true));
    }

    @Test
    void unreadableParametersAreShownNotThrown() {
        assertThat(RunParameters.flatten("{not json")).containsEntry("(unreadable parameters)", "{not json");
        assertThat(RunParameters.flatten(null)).isEmpty();
    }
}
