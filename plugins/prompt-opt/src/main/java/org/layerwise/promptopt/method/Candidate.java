package org.layerwise.promptopt.method;

import org.layerwise.engine.llm.Usage;

import java.util.List;

/**
 * One node of the candidate tree (GRACE's trace node). {@code action}: root, refine, compress (GRACE) or propose
 * (OPRO). {@code evalBefore} is the best eval score when it was made; {@code evalAfter} its own eval score.
 * {@code accepted}: it became the current prompt (a compression always does). {@code rejectionsInARow}: the counter
 * after this node. {@code items}: per-item eval results, so any two prompts can be compared item by item.
 */
public record Candidate(int id, int parent, int iteration, String action, String prompt, double evalBefore,
                        double evalAfter, int evalCorrect, boolean accepted, int rejectionsInARow,
                        List<FeedbackExample> feedback, String optimizerPrompt, String optimizerResponse,
                        String extraction, List<ItemResult> items, Usage baseUsage, Usage optimizerUsage) {
    public Candidate {
        feedback = feedback == null ? List.of() : List.copyOf(feedback);
        items = items == null ? List.of() : List.copyOf(items);
    }
}
