package org.layerwise.promptopt.method;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.llm.Usage;
import org.layerwise.engine.runs.TraceEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A prompt-optimisation run as written to the run store and read back: the setup, every candidate (prompt, scores,
 * gate decisions, feedback examples, the optimizer exchange, per-item results, usage), feedback statistics, budget
 * counters, the final pick and any error. Trace kinds: {@value #SETUP}, {@value #CANDIDATE}, {@value #FEEDBACK},
 * {@value #BUDGET}, {@value #FINAL}, {@value #ERROR}.
 */
public record PromptTrace(JsonNode setup, List<Candidate> candidates, List<JsonNode> feedback, List<JsonNode> budget,
                          JsonNode result, JsonNode error) {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final String SETUP = "promptopt.setup", CANDIDATE = "promptopt.candidate",
            FEEDBACK = "promptopt.feedback", BUDGET = "promptopt.budget", FINAL = "promptopt.final",
            ERROR = "promptopt.error";
    /** Responses kept per item in the trace (the rest is cut: eval splits times iterations adds up). */
    static final int RESPONSE_CHARS = 2000;

    public static PromptTrace read(List<TraceEvent> events) {
        JsonNode setup = null, result = null, error = null;
        List<Candidate> candidates = new ArrayList<>();
        List<JsonNode> feedback = new ArrayList<>(), budget = new ArrayList<>();
        for (TraceEvent e : events) {
            if (!e.kind().startsWith("promptopt.")) continue;
            JsonNode n;
            try {
                n = JSON.readTree(e.json());
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("Trace event " + e.seq() + " (" + e.kind() + ") of run " + e.runId()
                        + " is not JSON: " + ex.getOriginalMessage());
            }
            switch (e.kind()) {
                case SETUP -> setup = n;
                case CANDIDATE -> candidates.add(fromJson(n));
                case FEEDBACK -> feedback.add(n);
                case BUDGET -> budget.add(n);
                case FINAL -> result = n;
                case ERROR -> error = n;
                default -> { }
            }
        }
        return new PromptTrace(setup, List.copyOf(candidates), List.copyOf(feedback), List.copyOf(budget), result, error);
    }

    public boolean isPromptOptimisation() { return setup != null; }

    public Candidate candidate(int id) {
        return candidates.stream().filter(c -> c.id() == id).findFirst().orElse(null);
    }

    /** The accepted chain from the root to the last accepted candidate (GRACE's trace proper). */
    public List<Candidate> acceptedChain() {
        return candidates.stream().filter(Candidate::accepted).toList();
    }

    static ObjectNode usageJson(Usage u) {
        ObjectNode n = JSON.createObjectNode();
        if (u == null) return n;
        return n.put("calls", u.calls()).put("input_tokens", u.inputTokens()).put("output_tokens", u.outputTokens())
                .put("failed_calls", u.failedCalls());
    }

    static Usage usage(JsonNode n) {
        if (n == null || !n.has("calls")) return null;
        return new Usage(n.path("calls").asLong(), n.path("input_tokens").asLong(), n.path("output_tokens").asLong(),
                n.path("failed_calls").asLong());
    }

    static ArrayNode itemsJson(List<ItemResult> items) {
        ArrayNode a = JSON.createArrayNode();
        for (ItemResult r : items) {
            String resp = r.response() == null ? "" : r.response();
            a.addObject().put("id", r.itemId()).put("prediction", r.prediction()).put("correct", r.correct())
                    .put("response", resp.length() > RESPONSE_CHARS ? resp.substring(0, RESPONSE_CHARS) + "…" : resp);
        }
        return a;
    }

    static List<ItemResult> items(JsonNode a) {
        List<ItemResult> out = new ArrayList<>();
        for (JsonNode r : a) {
            out.add(new ItemResult(r.path("id").asText(), r.path("response").asText(""),
                    r.path("prediction").isNull() || r.path("prediction").isMissingNode() ? null : r.path("prediction").asText(),
                    r.path("correct").asBoolean()));
        }
        return out;
    }

    public static ObjectNode toJson(Candidate c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", c.id()).put("parent", c.parent()).put("iteration", c.iteration()).put("action", c.action())
                .put("prompt", c.prompt());
        if (Double.isNaN(c.evalBefore())) n.putNull("eval_before");
        else n.put("eval_before", c.evalBefore());
        n.put("eval_after", c.evalAfter()).put("eval_correct", c.evalCorrect()).put("accepted", c.accepted())
                .put("rejections_in_a_row", c.rejectionsInARow());
        ArrayNode fb = n.putArray("feedback_examples");
        for (FeedbackExample e : c.feedback()) {
            fb.addObject().put("id", e.itemId()).put("input", e.input()).put("reasoning", e.reasoning())
                    .put("label", e.label()).put("prediction", e.prediction()).put("correct", e.correct());
        }
        n.put("optimizer_prompt", c.optimizerPrompt()).put("optimizer_response", c.optimizerResponse())
                .put("extraction", c.extraction());
        n.set("items", itemsJson(c.items()));
        n.set("base_usage", usageJson(c.baseUsage()));
        n.set("optimizer_usage", usageJson(c.optimizerUsage()));
        return n;
    }

    public static Candidate fromJson(JsonNode n) {
        List<FeedbackExample> fb = new ArrayList<>();
        for (JsonNode e : n.path("feedback_examples")) {
            fb.add(new FeedbackExample(e.path("id").asText(), e.path("input").asText(), e.path("reasoning").asText(),
                    e.path("label").asText(), e.path("prediction").asText(null), e.path("correct").asBoolean()));
        }
        return new Candidate(n.path("id").asInt(), n.path("parent").asInt(), n.path("iteration").asInt(),
                n.path("action").asText(), n.path("prompt").asText(),
                n.path("eval_before").isNumber() ? n.path("eval_before").asDouble() : Double.NaN,
                n.path("eval_after").asDouble(), n.path("eval_correct").asInt(), n.path("accepted").asBoolean(),
                n.path("rejections_in_a_row").asInt(), fb, text(n, "optimizer_prompt"), text(n, "optimizer_response"),
                text(n, "extraction"), items(n.path("items")), usage(n.path("base_usage")), usage(n.path("optimizer_usage")));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
