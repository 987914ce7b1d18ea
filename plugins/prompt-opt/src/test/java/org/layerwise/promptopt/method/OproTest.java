package org.layerwise.promptopt.method;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OproTest {
    @Test
    void scoredHistoryGrowsWithinTheSameOptimizerCallBudget() throws Exception {
        ScriptedModels.Base base = new ScriptedModels.Base();
        ScriptedModels.Optimizer opt = new ScriptedModels.Optimizer("<START>level 5</START>", "<START>level 3</START>",
                "<START>level 6</START>", "<START>level 6 too</START>", "<START>level 2</START>", "<START>unused</START>");
        ScriptedModels.Recorder ctx = new ScriptedModels.Recorder();
        OproSettings s = OproSettings.paper().withBudget(10, 2, 5).withParallel(1);
        OptimizationResult r = new Opro(base, opt, ScriptedModels.task(16, 10, 10, "level 4"), s, ctx, RunControl.none()).run();
        assertThat(opt.requests).hasSize(5);
        assertThat(r.stopReason()).isEqualTo("budget");
        assertThat(r.candidates()).extracting(Candidate::evalCorrect).containsExactly(4, 5, 3, 6, 6, 2);
        assertThat(r.candidates()).extracting(Candidate::accepted).containsExactly(true, true, false, true, false, false);
        // the second step's meta-prompt lists the scored instructions in ascending order
        String second = opt.requests.get(2);
        assertThat(second.indexOf("level 3\nscore:\n30")).isLessThan(second.indexOf("level 4\nscore:\n40"));
        assertThat(second.indexOf("level 4\nscore:\n40")).isLessThan(second.indexOf("level 5\nscore:\n50"));
        assertThat(r.testAccuracy()).containsOnlyKeys(3, 4);
        assertThat(r.optimizerUsage().calls()).isEqualTo(5);
        assertThat(r.baseUsage().calls()).isEqualTo(base.calls.get()).isEqualTo(6 * 10 + 2 * 10);
        assertThat(PromptTrace.read(ctx.events()).setup().path("method").asText()).isEqualTo("opro");
    }
}
