package org.layerwise.promptopt.method;

import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.llm.BackendException;
import org.layerwise.engine.llm.ChatMessage;
import org.layerwise.engine.llm.Completion;
import org.layerwise.engine.llm.CompletionOptions;
import org.layerwise.engine.llm.TextBackend;
import org.layerwise.engine.llm.Usage;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scripted models for gate tests. The base model knows items by index: under a prompt containing "level N" it answers
 * items with index &lt; N right and the others wrong, except items whose index is a multiple of 7 past 0, which it
 * answers without a box (format errors). The optimizer replays a list of answers and records each request.
 */
public final class ScriptedModels {
    private ScriptedModels() {}

    public static PromptTask task(int train, int eval, int test, String initial) {
        return new PromptTask("scripted", initial, AnswerParser.BOXED_FORMAT, items("t", train), items("e", eval), items("s", test));
    }

    public static List<TaskItem> items(String prefix, int n) {
        List<TaskItem> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
            out.add(new TaskItem(prefix + i, "Question " + prefix + " #" + i + "#\nOptions:\n(A) yes\n(B) no", List.of("yes", "no"), Set.of("A")));
        return out;
    }

    public static final class Base implements TextBackend {
        private static final Pattern LEVEL = Pattern.compile("level (\\d+)"), INDEX = Pattern.compile("#(\\d+)#");
        final AtomicInteger calls = new AtomicInteger();

        @Override public String name() { return "scripted-base"; }

        @Override public Completion complete(List<ChatMessage> messages, CompletionOptions options) {
            calls.incrementAndGet();
            String text = messages.get(0).content();
            Matcher l = LEVEL.matcher(text), i = INDEX.matcher(text);
            int level = l.find() ? Integer.parseInt(l.group(1)) : 0;
            if (!i.find()) throw new IllegalStateException("no item index in " + text);
            int index = Integer.parseInt(i.group(1));
            String answer = index > 0 && index % 7 == 0 ? "I am not sure." : index < level ? "So \\boxed{A}" : "So \\boxed{B}";
            return new Completion(answer, 10, 2, "stop");
        }

        @Override public Usage usage() { return new Usage(calls.get(), 10L * calls.get(), 2L * calls.get(), 0); }
    }

    public static final class Optimizer implements TextBackend {
        final Deque<String> script;
        final List<String> requests = new CopyOnWriteArrayList<>();
        int failOnCall = -1;
        long in;

        public Optimizer(String... answers) { script = new ArrayDeque<>(List.of(answers)); }

        @Override public String name() { return "scripted-optimizer"; }

        @Override public Completion complete(List<ChatMessage> messages, CompletionOptions options) throws BackendException {
            if (requests.size() + 1 == failOnCall)
                throw new BackendException("No answer from http://x/v1/chat/completions within 1 s", true);
            requests.add(messages.get(0).content());
            in += messages.get(0).content().length();
            if (script.isEmpty()) throw new IllegalStateException("the optimizer script ran out after " + requests.size() + " calls");
            return new Completion(script.removeFirst(), messages.get(0).content().length(), 7, "stop");
        }

        @Override public Usage usage() { return new Usage(requests.size(), in, 7L * requests.size(), 0); }
    }

    /** A job context that keeps what the run reports. */
    public static final class Recorder implements JobContext {
        final List<String[]> traces = new CopyOnWriteArrayList<>();
        final List<Object[]> metrics = new CopyOnWriteArrayList<>();
        volatile boolean cancelled;

        @Override public void progress(double fraction, String message) {}

        @Override public void metric(String name, long step, double value) { metrics.add(new Object[] {name, step, value}); }

        @Override public void log(String line) {}

        @Override public void trace(String kind, String json) { traces.add(new String[] {kind, json}); }

        @Override public Path artifact(String name, Path file) { return file; }

        @Override public boolean isCancelled() { return cancelled; }

        @Override public long runId() { return -1; }

        List<org.layerwise.engine.runs.TraceEvent> events() {
            List<org.layerwise.engine.runs.TraceEvent> out = new ArrayList<>();
            for (int i = 0; i < traces.size(); i++)
                out.add(new org.layerwise.engine.runs.TraceEvent(-1, i, traces.get(i)[0], traces.get(i)[1], java.time.Instant.now()));
            return out;
        }
    }
}
