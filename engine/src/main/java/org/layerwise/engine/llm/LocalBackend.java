package org.layerwise.engine.llm;

import org.layerwise.engine.model.ContinuationScore;
import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.TransformerModel;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An engine model as a text backend. The small models here have no chat template, so messages are rendered as
 * plain text: each message's content on its own line(s), in order, and the model continues after the last one.
 * Calls are serialised: one model, one forward at a time.
 */
public final class LocalBackend implements TextBackend {
    private final TransformerModel model;
    private final AtomicLong calls = new AtomicLong(), in = new AtomicLong(), out = new AtomicLong();

    public LocalBackend(TransformerModel model) { this.model = model; }

    public TransformerModel model() { return model; }

    @Override public String name() { return "local:" + model.name(); }

    /** The prompt a chat becomes for a model without a chat template. */
    public static String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') sb.append('\n');
            sb.append(m.content());
        }
        return sb.toString();
    }

    @Override
    public synchronized Completion complete(List<ChatMessage> messages, CompletionOptions options) {
        GenerationConfig config = new GenerationConfig(options.maxTokens(), options.temperature(), 0, 1.0,
                options.seed(), options.stop(), true);
        Generation g = model.generate(render(messages), config, null);
        calls.incrementAndGet();
        in.addAndGet(g.promptTokens());
        out.addAndGet(g.tokenIds().length);
        String reason = "length".equals(g.finishReason()) ? "length" : "stop";
        return new Completion(g.text(), g.promptTokens(), g.tokenIds().length, reason);
    }

    @Override public boolean supportsLogLikelihood() { return true; }

    @Override
    public synchronized List<ContinuationScore> logLikelihoods(String prompt, List<String> continuations) {
        List<ContinuationScore> scores = model.scoreContinuations(prompt, continuations);
        calls.incrementAndGet();
        int promptTokens = model.encode(prompt).ids().length;
        in.addAndGet((long) promptTokens * continuations.size());
        for (ContinuationScore s : scores) in.addAndGet(s.tokens());
        return scores;
    }

    @Override public Usage usage() { return new Usage(calls.get(), in.get(), out.get(), 0); }
}
