package org.layerwise.probeedit.method.edit;

import java.util.List;
import java.util.Map;

/**
 * What an edit did: per request the optimisation's end (steps, NLL, target probability); per region the
 * z error (mean ‖z − current value‖ before and after the region's updates); the layers written; seconds.
 */
public record EditOutcome(EditMethod method, List<RequestFit> fits, Map<String, double[]> zError, List<Integer> layers, double seconds) {
    public record RequestFit(String caseId, int steps, double nll, double kl, double targetProb) {}
}
