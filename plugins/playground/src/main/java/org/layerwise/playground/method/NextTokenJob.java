package org.layerwise.playground.method;

import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.LanguageModel;

import java.util.Locale;

/** One forward pass: the k most likely next tokens after the prompt, recorded as a trace and metrics. */
public final class NextTokenJob implements Job<NextTokenDistribution> {
    private final LanguageModel model;
    private final String prompt;
    private final int k;

    public NextTokenJob(LanguageModel model, String prompt, int k) {
        this.model = model;
        this.prompt = prompt;
        this.k = k;
    }

    @Override
    public NextTokenDistribution run(JobContext ctx) {
        ctx.progress(Double.NaN, "forward pass over the prompt");
        NextTokenDistribution d = distribution(model, prompt, k, ctx);
        ctx.progress(1, "top token " + (d.top().isEmpty() ? "–" : TokenText.visible(d.top().get(0).token())));
        return d;
    }

    /** Shared with {@link GenerationJob}, which shows the distribution before it samples. */
    static NextTokenDistribution distribution(LanguageModel model, String prompt, int k, JobContext ctx) {
        NextTokenDistribution d = new NextTokenDistribution(prompt, model.nextTokens(prompt, k));
        ctx.trace("next-token", d.toJson());
        if (!d.top().isEmpty()) ctx.metric("top1_probability", 0, d.top().get(0).probability());
        ctx.metric("top_k_mass", 0, d.coveredMass());
        ctx.log(String.format(Locale.ROOT, "next token: %s (p=%.3f); top-%d cover %.1f%%",
                d.top().isEmpty() ? "–" : TokenText.visible(d.top().get(0).token()),
                d.top().isEmpty() ? 0 : d.top().get(0).probability(), d.top().size(), 100 * d.coveredMass()));
        return d;
    }
}
