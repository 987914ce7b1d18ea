package org.layerwise.engine.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a failed job's run says about its exception: a one-line summary and the full stack as a trace event. */
final class FailureSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FailureSummary() {}

    /** {@code Type: message}, plus the root cause when it says something the top exception does not. */
    static String describe(Throwable t) {
        String own = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root == t || (root.getMessage() != null && t.getMessage() != null && t.getMessage().contains(root.getMessage()))) {
            return own;
        }
        return own + " (caused by " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    /** The trace event kept with a failed run, so the stack is there when someone looks at it later. */
    static String stackTraceJson(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        ObjectNode node = JSON.createObjectNode();
        node.put("exception", t.getClass().getName());
        node.put("message", t.getMessage());
        node.put("stackTrace", w.toString());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
