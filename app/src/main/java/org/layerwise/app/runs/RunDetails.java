package org.layerwise.app.runs;

import org.layerwise.engine.runs.ArtifactRecord;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.TraceEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Everything recorded for one run, read in one go off the FX thread. */
public record RunDetails(RunRecord run, List<MetricPoint> metrics, List<ArtifactRecord> artifacts,
                         List<TraceEvent> traces) {
    /** The metric series by name, in first-recorded order, each sorted by step. */
    public Map<String, List<MetricPoint>> series() {
        return seriesOf(metrics);
    }

    static Map<String, List<MetricPoint>> seriesOf(List<MetricPoint> points) {
        Map<String, List<MetricPoint>> byName = points.stream().collect(
                Collectors.groupingBy(MetricPoint::name, LinkedHashMap::new, Collectors.toList()));
        byName.replaceAll((k, v) -> v.stream().sorted(java.util.Comparator.comparingLong(MetricPoint::step)).toList());
        return byName;
    }
}
