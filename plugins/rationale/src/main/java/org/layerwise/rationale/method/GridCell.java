package org.layerwise.rationale.method;

import org.layerwise.engine.data.nlu.NluTasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One evaluated model: a sample model as shipped ({@code method} "base") or fine-tuned with a training method
 * (align with its weight {@code w}), its training losses and every item's answers.
 */
public record GridCell(String model, long parameters, String method, double w, List<Double> losses, double trainSeconds,
                       List<ItemResult> items) {
    public String label() {
        return "align".equals(method) ? "align w=" + w : method;
    }

    public List<String> tasks() {
        return new ArrayList<>(new LinkedHashSet<>(items.stream().map(ItemResult::task).toList()));
    }

    public Score score(String task, EvalMode mode) {
        return Score.of(items.stream().filter(i -> i.task().equals(task)).toList(), mode);
    }

    /** Over all trained tasks (heldOut false) or all held-out tasks (true). */
    public Score pooled(boolean heldOut, EvalMode mode) {
        return Score.of(items.stream().filter(i -> NluTasks.HELD_OUT.contains(i.task()) == heldOut).toList(), mode);
    }

    public Map<String, Score> byTask(EvalMode mode) {
        Map<String, Score> out = new LinkedHashMap<>();
        for (String t : tasks()) out.put(t, score(t, mode));
        return out;
    }
}
