package org.layerwise.sdk.figure;

import org.jfree.chart.JFreeChart;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.engine.runs.RunRecord;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figure of a recorded run: its metric series against step, the same in the runs browser and the CLI. */
public final class RunFigures {
    private RunFigures() {
    }

    /**
     * One line per metric name (all names when {@code names} is empty), for one or more runs; with several runs
     * each series is labelled "#id name", so two runs compare on one chart.
     */
    public static JFreeChart metrics(List<RunRecord> runs, Map<Long, List<MetricPoint>> metricsByRun,
                                     Collection<String> names) {
        String title = runs.size() == 1 ? "Run " + runs.get(0).id() + " · " + runs.get(0).title()
                : "Runs " + runs.stream().map(r -> "#" + r.id()).reduce((a, b) -> a + " vs " + b).orElse("");
        java.util.Set<String> drawn = new java.util.LinkedHashSet<>();
        metricsByRun.values().forEach(ps -> ps.forEach(p -> {
            if (names.isEmpty() || names.contains(p.name())) drawn.add(p.name());
        }));
        String yLabel = drawn.size() == 1 ? drawn.iterator().next() : "value";
        LineFigures.Builder chart = LineFigures.builder(title, "step", yLabel).integerX(true)
                .legend(drawn.size() * runs.size() > 1);
        boolean sparse = false; // a series of one or two points is invisible as a line alone
        for (RunRecord run : runs) {
            Map<String, List<MetricPoint>> byName = new LinkedHashMap<>();
            for (MetricPoint p : metricsByRun.getOrDefault(run.id(), List.of())) {
                if (names.isEmpty() || names.contains(p.name())) {
                    byName.computeIfAbsent(p.name(), n -> new java.util.ArrayList<>()).add(p);
                }
            }
            sparse |= byName.values().stream().anyMatch(points -> points.size() < 3);
            byName.forEach((name, points) -> chart.series(runs.size() == 1 ? name : "#" + run.id() + " " + name,
                    points.stream().mapToDouble(MetricPoint::step).toArray(),
                    points.stream().mapToDouble(MetricPoint::value).toArray()));
        }
        return chart.markers(sparse).build();
    }
}
