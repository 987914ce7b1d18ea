package org.layerwise.playground.method;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.LanguageModel;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Generates a continuation as a job: shows the next-token distribution of the prompt first, then streams
 * each new piece of text to {@code onPiece} as it comes. Cancelling stops between two tokens. The run
 * records the distribution, a tokens-per-second series and the final text.
 */
public final class GenerationJob implements Job<Generation> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Throughput is recorded every this many tokens (and at the end), keeping the run small. */
    static final int METRIC_EVERY = 8;

    private final LanguageModel model;
    private final String prompt;
    private final DecodingSettings settings;
    private final Consumer<NextTokenDistribution> onDistribution;
    private final Consumer<String> onPiece;

    /** Both callbacks run on the job's worker thread. */
    public GenerationJob(LanguageModel model, String prompt, DecodingSettings settings,
                         Consumer<NextTokenDistribution> onDistribution, Consumer<String> onPiece) {
        this.model = model;
        this.prompt = prompt;
        this.settings = settings.validate();
        this.onDistribution = onDistribution;
        this.onPiece = onPiece;
    }

    @Override
    public Generation run(JobContext ctx) {
        ctx.progress(Double.NaN, "reading the prompt");
        onDistribution.accept(NextTokenJob.distribution(model, prompt, settings.distributionSize(), ctx));
        ctx.checkCancelled();

        int max = settings.maxNewTokens();
        long start = System.nanoTime();
        int[] count = {0};
        Generation g = model.generate(prompt, settings.toConfig(), piece -> {
            // the engine calls back once per token: the place to stop when the user cancels
            ctx.checkCancelled();
            count[0]++;
            onPiece.accept(piece);
            double seconds = (System.nanoTime() - start) / 1e9;
            ctx.progress((double) count[0] / max, String.format(Locale.ROOT, "%d / %d tokens · %.1f tok/s",
                    count[0], max, count[0] / Math.max(seconds, 1e-9)));
            if (count[0] % METRIC_EVERY == 0) ctx.metric("tokens_per_second", count[0], count[0] / Math.max(seconds, 1e-9));
        });
        int produced = g.tokenIds() == null ? count[0] : g.tokenIds().length;
        double seconds = g.nanos() > 0 ? g.nanos() / 1e9 : (System.nanoTime() - start) / 1e9;
        double rate = produced / Math.max(seconds, 1e-9);
        ctx.metric("tokens_per_second", produced, rate);
        var event = JSON.createObjectNode()
                .put("prompt", prompt)
                .put("text", g.text())
                .put("finish_reason", g.finishReason())
                .put("prompt_tokens", g.promptTokens())
                .put("new_tokens", produced)
                .put("seconds", seconds);
        ctx.trace("generation", event.toString());
        // an engine may end early with "cancelled" instead of throwing: the partial text is kept above
        if (ctx.isCancelled() || "cancelled".equals(g.finishReason())) throw new org.layerwise.engine.jobs.JobCancelledException();
        ctx.log(String.format(Locale.ROOT, "generated %d tokens in %.2f s (%.1f tok/s), stopped: %s",
                produced, seconds, rate, g.finishReason()));
        ctx.progress(1, String.format(Locale.ROOT, "%d tokens · %.1f tok/s · %s", produced, rate, g.finishReason()));
        return g;
    }
}
