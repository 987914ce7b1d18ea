package org.layerwise.playground.method;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.model.LanguageModel.TokenProbability;

import java.util.List;

/** The most likely next tokens after a prompt, most likely first. */
public record NextTokenDistribution(String prompt, List<TokenProbability> top) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public NextTokenDistribution {
        top = List.copyOf(top);
    }

    /** Probability mass the listed tokens cover (how much of the distribution the view shows). */
    public double coveredMass() {
        return top.stream().mapToDouble(TokenProbability::probability).sum();
    }

    /** Entropy in nats of the listed tokens renormalised to sum to 1 (a lower bound on spread). */
    public double entropyOfShown() {
        double mass = coveredMass();
        if (mass <= 0) return 0;
        double h = 0;
        for (TokenProbability t : top) {
            double p = t.probability() / mass;
            if (p > 0) h -= p * Math.log(p);
        }
        return h;
    }

    /** The trace event stored with the run. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("prompt", prompt);
        ArrayNode tokens = root.putArray("top");
        for (TokenProbability t : top) {
            tokens.addObject().put("id", t.id()).put("token", t.token()).put("probability", t.probability());
        }
        root.put("covered_mass", coveredMass());
        return root.toString();
    }
}
