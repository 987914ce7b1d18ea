package org.layerwise.promptopt.method;

import org.layerwise.engine.llm.Usage;

import java.util.List;
import java.util.Map;

/**
 * How a run ended: every candidate, the final pick (among the prompts holding the top eval score, the one best on
 * test), test accuracy of each of those, why the loop stopped, and the calls and tokens each model spent.
 */
public record OptimizationResult(List<Candidate> candidates, int chosenId, Map<Integer, Double> testAccuracy,
                                 String stopReason, Usage baseUsage, Usage optimizerUsage) {
    public Candidate chosen() {
        return candidates.stream().filter(c -> c.id() == chosenId).findFirst().orElseThrow();
    }
}
