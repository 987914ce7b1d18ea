package org.layerwise.rationale.method;

import java.util.ArrayList;
import java.util.List;

/** Items where one mode is right and the other wrong: what CoT fixes and what it breaks. */
public final class PairedItems {
    /** One disagreement; {@code firstRight} says which side was right. */
    public record Pair(ItemResult item, Answer first, Answer second, boolean firstRight) {}

    private PairedItems() {}

    public static List<Pair> disagreements(GridCell cell, EvalMode first, EvalMode second) {
        List<Pair> out = new ArrayList<>();
        for (ItemResult i : cell.items()) {
            Answer a = i.answer(first), b = i.answer(second);
            if (a == null || b == null || a.correct() == b.correct()) continue;
            out.add(new Pair(i, a, b, a.correct()));
        }
        return out;
    }
}
