package org.layerwise.promptopt.method;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.llm.BackendException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GRACE's gates with a scripted base model and a scripted optimizer (see {@link ScriptedModels}). */
class GraceGateTest {
    private static GraceSettings settings(int iterations, int k) {
        return GraceSettings.paper().withIterations(iterations).withRejectionLimit(k).withParallel(1);
    }

    @Test
    void tiesAreRejectedCompressionFollowsKRejectionsAndResetsTheBestScore() throws Exception {
        ScriptedModels.Base base = new ScriptedModels.Base();
        ScriptedModels.Optimizer opt = new ScriptedModels.Optimizer(
                "Better: <START>level 6</START>",          // it 1: 6 > 4 accepted
                "<START>level 6, restated</START>",        // it 2: 6 = 6 tie, rejected (1)
                "<START>level 5</START>",                  // it 3: 5 < 6 rejected (2)
                "<START>\"level 6 again\"</START>",        // it 4: tie rejected (3 = K) -> compression
                "<START>level 3</START>",                  //       compressed: 3, taken anyway, best := 3
                "<START>level 4</START>");                 // it 5: 4 > 3 accepted (would be rejected against 6)
        ScriptedModels.Recorder ctx = new ScriptedModels.Recorder();
        PromptTask task = ScriptedModels.task(16, 10, 10, "level 4");
        OptimizationResult r = new Grace(base, opt, task, settings(5, 3), ctx, RunControl.none()).run();

        List<Candidate> c = r.candidates();
        assertThat(c).extracting(Candidate::action).containsExactly("root", "refine", "refine", "refine", "refine", "compress", "refine");
        assertThat(c).extracting(Candidate::evalCorrect).containsExactly(4, 6, 6, 5, 6, 3, 4);
        assertThat(c).extracting(Candidate::accepted).containsExactly(true, true, false, false, false, true, true);
        assertThat(c).extracting(Candidate::rejectionsInARow).containsExactly(0, 0, 1, 2, 3, 0, 0);
        // each candidate hangs off the current prompt when it was made
        assertThat(c).extracting(Candidate::parent).containsExactly(-1, 0, 1, 1, 1, 1, 5);
        // the best score before each step: 0.4, then 0.6 until the compression resets it to 0.3
        assertThat(c.subList(1, 7)).extracting(Candidate::evalBefore).containsExactly(0.4, 0.6, 0.6, 0.6, 0.6, 0.3);
        assertThat(c.get(4).prompt()).isEqualTo("level 6 again");
        assertThat(opt.requests.get(4)).contains("shorter, cleaner prompt").contains("\"level 6\"");

        // feedback regulation gate: exactly 3 right and 3 wrong parsed answers, no format errors, from train only
        for (Candidate k : c.subList(1, 5)) {
            assertThat(k.feedback()).hasSize(6);
            assertThat(k.feedback()).filteredOn(FeedbackExample::correct).hasSize(3);
            assertThat(k.feedback()).allSatisfy(f -> {
                assertThat(f.itemId()).startsWith("t");
                assertThat(f.prediction()).isIn("A", "B");
                assertThat(f.input()).startsWith(c.get(k.parent()).prompt() + "\n\nQuestion").endsWith(AnswerParser.BOXED_FORMAT);
                assertThat(f.label()).isEqualTo("(A) yes");
            });
            assertThat(k.optimizerPrompt()).contains(k.feedback().get(0).reasoning()).contains("<START>");
        }

        // final pick: every prompt with the top eval score (6/10: #1, #2, #4) is scored on test
        assertThat(r.testAccuracy()).containsOnlyKeys(1, 2, 4);
        assertThat(r.chosenId()).isEqualTo(1);
        assertThat(r.chosen().prompt()).isEqualTo("level 6");
        assertThat(r.stopReason()).isEqualTo("iterations");

        // budget per model: optimizer = 5 refinements + 1 compression; base = feedback walks + one eval per distinct
        // prompt (6: "level 4" comes back at iteration 5 and is not scored twice) + one test pass per top prompt (3)
        assertThat(r.optimizerUsage().calls()).isEqualTo(6);
        assertThat(r.optimizerUsage().outputTokens()).isEqualTo(42);
        assertThat(r.optimizerUsage().inputTokens()).isEqualTo(opt.in);
        PromptTrace trace = PromptTrace.read(ctx.events());
        int feedbackCalls = trace.feedback().stream().mapToInt(f -> f.path("answered").asInt()).sum();
        assertThat(trace.feedback()).hasSize(5);
        assertThat(r.baseUsage().calls()).isEqualTo(base.calls.get()).isEqualTo(feedbackCalls + 6 * 10 + 3 * 10);
        assertThat(r.baseUsage().inputTokens()).isEqualTo(10L * base.calls.get());
        JsonNode lastBudget = trace.budget().get(trace.budget().size() - 1);
        assertThat(lastBudget.path("optimizer").path("calls").asInt()).isEqualTo(6);
        assertThat(lastBudget.path("base").path("calls").asInt()).isEqualTo(feedbackCalls + 60);

        // the whole trace reads back as it was made
        assertThat(trace.candidates()).isEqualTo(c);
        assertThat(trace.setup().path("method").asText()).isEqualTo("grace");
        assertThat(trace.result().path("chosen").asInt()).isEqualTo(1);
        assertThat(trace.result().path("tested")).hasSize(3);
        assertThat(trace.acceptedChain()).extracting(Candidate::id).containsExactly(0, 1, 5, 6);
    }

    @Test
    void formatErrorsAreCountedApartAndKeptOutOfFeedback() throws Exception {
        ScriptedModels.Recorder ctx = new ScriptedModels.Recorder();
        OptimizationResult r = new Grace(new ScriptedModels.Base(), new ScriptedModels.Optimizer("<START>level 5</START>"),
                ScriptedModels.task(16, 10, 10, "level 4"), settings(1, 5), ctx, RunControl.none()).run();
        Candidate root = r.candidates().get(0);
        assertThat(root.items().get(7).formatError()).isTrue(); // e7 has no box
        assertThat(root.items().get(7).correct()).isFalse();
        assertThat(r.candidates().get(1).feedback()).noneMatch(f -> f.itemId().equals("t7") || f.itemId().equals("t14"));
        JsonNode fb = PromptTrace.read(ctx.events()).feedback().get(0);
        assertThat(fb.path("successes").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(fb.path("failures").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(fb.path("answered").asInt()).isEqualTo(fb.path("successes").asInt() + fb.path("failures").asInt()
                + fb.path("format_errors").asInt()).isIn(8, 16);
    }

    @Test
    void theOptimizerBudgetStopsTheLoop() throws Exception {
        ScriptedModels.Optimizer opt = new ScriptedModels.Optimizer("<START>level 2</START>", "<START>level 1</START>",
                "<START>level 3</START>", "<START>level 9</START>");
        OptimizationResult r = new Grace(new ScriptedModels.Base(), opt, ScriptedModels.task(16, 10, 10, "level 4"),
                settings(80, 2).withOptimizerBudget(3), new ScriptedModels.Recorder(), RunControl.none()).run();
        // it 1, it 2 rejected -> compression (3rd call); then the budget is spent
        assertThat(opt.requests).hasSize(3);
        assertThat(r.candidates()).extracting(Candidate::action).containsExactly("root", "refine", "refine", "compress");
        assertThat(r.stopReason()).isEqualTo("budget");
    }

    @Test
    void aPerfectTrainScoreStops() throws Exception {
        ScriptedModels.Optimizer opt = new ScriptedModels.Optimizer();
        ScriptedModels.Base base = new ScriptedModels.Base();
        PromptTask task = new PromptTask("t", "level 99", AnswerParser.BOXED_FORMAT, ScriptedModels.items("t", 6),
                ScriptedModels.items("e", 5), ScriptedModels.items("s", 5));
        OptimizationResult r = new Grace(base, opt, task, settings(10, 5), new ScriptedModels.Recorder(), RunControl.none()).run();
        assertThat(r.stopReason()).isEqualTo("train accuracy 1");
        assertThat(opt.requests).isEmpty();
        assertThat(r.chosenId()).isZero();
    }

    @Test
    void aBackendFailureKeepsEveryFinishedStepAndSaysWhatHappened() {
        ScriptedModels.Optimizer opt = new ScriptedModels.Optimizer("<START>level 6</START>", "<START>level 7</START>");
        opt.failOnCall = 2;
        ScriptedModels.Recorder ctx = new ScriptedModels.Recorder();
        assertThatThrownBy(() -> new Grace(new ScriptedModels.Base(), opt, ScriptedModels.task(16, 10, 10, "level 4"),
                settings(5, 5), ctx, RunControl.none()).run())
                .isInstanceOf(BackendException.class).hasMessageContaining("No answer");
        PromptTrace trace = PromptTrace.read(ctx.events());
        assertThat(trace.candidates()).extracting(Candidate::id).containsExactly(0, 1);
        assertThat(trace.error().path("message").asText()).contains("No answer");
        assertThat(trace.error().path("candidates_recorded").asInt()).isEqualTo(2);
    }

    @Test
    void pauseHoldsTheLoopAndCancelStopsIt() throws Exception {
        ScriptedModels.Recorder ctx = new ScriptedModels.Recorder();
        RunControl control = new RunControl(() -> ctx.cancelled);
        control.pause();
        Thread t = new Thread(() -> {
            try {
                new Grace(new ScriptedModels.Base(), new ScriptedModels.Optimizer("<START>level 6</START>"),
                        ScriptedModels.task(16, 10, 10, "level 4"), settings(1, 5), ctx, control).run();
            } catch (Exception ignored) {
                // cancelled
            }
        });
        t.start();
        Thread.sleep(300);
        assertThat(PromptTrace.read(ctx.events()).candidates()).isEmpty(); // paused before the root was scored
        ctx.cancelled = true;
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        assertThat(PromptTrace.read(ctx.events()).error().path("message").asText()).isNotBlank();
    }

    @Test
    void thePaperPresetHoldsGracesDefaults() {
        GraceSettings p = GraceSettings.paper();
        assertThat(p.iterations()).isEqualTo(80);
        assertThat(p.rejectionLimit()).isEqualTo(5);
        assertThat(p.successes()).isEqualTo(3);
        assertThat(p.failures()).isEqualTo(3);
        assertThat(p.batchSize()).isEqualTo(8);
        assertThat(p.seed()).isEqualTo(42);
        assertThat(p.optimizerBudget()).isEqualTo(80);
        assertThat(p.baseTemperature()).isEqualTo(0.0);
        assertThat(p.optimizerTemperature()).isEqualTo(0.6);
    }
}
