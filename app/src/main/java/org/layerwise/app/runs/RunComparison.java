package org.layerwise.app.runs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Two runs side by side: the metrics both recorded (drawn on one chart per name) and their
 * parameters, with the ones that differ marked.
 */
public record RunComparison(RunDetails left, RunDetails right) {
    /** Metric names recorded by both runs, in the left run's order. */
    public List<String> commonMetrics() {
        Set<String> names = new LinkedHashSet<>(left.series().keySet());
        names.retainAll(right.series().keySet());
        return List.copyOf(names);
    }

    /** One row per parameter of either run; {@code differs} when the values are not equal. */
    public List<ParameterRow> parameters() {
        Map<String, String> a = RunParameters.flatten(left.run().parametersJson());
        Map<String, String> b = RunParameters.flatten(right.run().parametersJson());
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<ParameterRow> rows = new ArrayList<>();
        for (String k : keys) rows.add(new ParameterRow(k, a.get(k), b.get(k), !Objects.equals(a.get(k), b.get(k))));
        return rows;
    }

    public record ParameterRow(String name, String left, String right, boolean differs) {}
}
