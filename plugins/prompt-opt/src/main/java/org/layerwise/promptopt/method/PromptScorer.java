package org.layerwise.promptopt.method;

import org.layerwise.engine.llm.BackendException;
import org.layerwise.engine.llm.ChatMessage;
import org.layerwise.engine.llm.Completion;
import org.layerwise.engine.llm.CompletionOptions;
import org.layerwise.engine.llm.TextBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the base model on items under a prompt, GRACE's layout: {@code "{prompt}\n\n{question}\n{answer_format}"} as
 * one user message, and parses each answer. Items of one split go out {@code parallel} at a time (the backend's own
 * concurrency limit still applies); results come back in item order.
 */
public final class PromptScorer implements AutoCloseable {
    private final TextBackend base;
    private final String answerFormat;
    private final CompletionOptions options;
    private final RunControl control;
    private final ExecutorService pool;

    public PromptScorer(TextBackend base, String answerFormat, CompletionOptions options, int parallel, RunControl control) {
        this.base = base;
        this.answerFormat = answerFormat;
        this.options = options;
        this.control = control;
        this.pool = parallel > 1 ? Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "prompt-opt-scorer");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public static String basePrompt(String prompt, String question, String answerFormat) {
        return prompt + "\n\n" + question + "\n" + answerFormat;
    }

    public String basePrompt(String prompt, TaskItem item) { return basePrompt(prompt, item.question(), answerFormat); }

    public ItemResult answer(String prompt, TaskItem item) throws BackendException {
        control.checkpoint();
        Completion c = base.complete(List.of(ChatMessage.user(basePrompt(prompt, item))), options);
        String prediction = AnswerParser.parse(c.text(), item);
        return new ItemResult(item.id(), c.text(), prediction, prediction != null && item.answers().contains(prediction));
    }

    public Evaluation score(String prompt, List<TaskItem> items) throws BackendException {
        List<ItemResult> results = new ArrayList<>(items.size());
        if (pool == null) {
            for (TaskItem item : items) results.add(answer(prompt, item));
            return new Evaluation(results);
        }
        List<Future<ItemResult>> futures = new ArrayList<>();
        for (TaskItem item : items) futures.add(pool.submit(() -> answer(prompt, item)));
        try {
            for (Future<ItemResult> f : futures) results.add(f.get());
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new org.layerwise.engine.jobs.JobCancelledException();
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof BackendException be) throw be;
            if (cause instanceof RuntimeException re) throw re;
            throw new IllegalStateException(cause);
        }
        return new Evaluation(results);
    }

    @Override public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
