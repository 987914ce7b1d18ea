package org.layerwise.rationale.method;

import java.util.Collection;

/**
 * Accuracy of one mode over a set of items. Format errors count as wrong in {@link #accuracy()} and are reported
 * apart; {@link #wellFormedAccuracy()} is the accuracy among items whose output could be parsed.
 */
public record Score(int items, int correct, int formatErrors) {
    public double accuracy() { return items == 0 ? Double.NaN : (double) correct / items; }

    public double formatErrorRate() { return items == 0 ? Double.NaN : (double) formatErrors / items; }

    public double wellFormedAccuracy() {
        int parsed = items - formatErrors;
        return parsed == 0 ? Double.NaN : (double) correct / parsed;
    }

    public static Score of(Collection<ItemResult> results, EvalMode mode) {
        int n = 0, c = 0, f = 0;
        for (ItemResult r : results) {
            Answer a = r.answer(mode);
            if (a == null) continue;
            n++;
            if (a.correct()) c++;
            if (a.formatError()) f++;
        }
        return new Score(n, c, f);
    }
}
