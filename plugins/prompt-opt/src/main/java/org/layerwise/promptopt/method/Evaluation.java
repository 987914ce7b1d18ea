package org.layerwise.promptopt.method;

import java.util.List;

/** A prompt scored on a split: accuracy = correct / items; format errors count as wrong and are also counted apart. */
public record Evaluation(List<ItemResult> items) {
    public Evaluation {
        items = List.copyOf(items);
    }

    public int correct() { return (int) items.stream().filter(ItemResult::correct).count(); }

    public int formatErrors() { return (int) items.stream().filter(ItemResult::formatError).count(); }

    public double accuracy() { return items.isEmpty() ? 0 : correct() / (double) items.size(); }
}
