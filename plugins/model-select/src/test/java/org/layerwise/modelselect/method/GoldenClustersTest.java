package org.layerwise.modelselect.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paper's matrices clustered by the Java coarse recall against golden_clusters.json, which
 * make_golden.py (next to it) computes independently in numpy from the method note.
 */
class GoldenClustersTest {
    static final Path PAPER = locate("sample-data/model-select/paper");

    static Path locate(String rel) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve(rel))) p = p.getParent();
        if (p == null) throw new IllegalStateException(rel + " not found above " + Path.of("").toAbsolutePath());
        return p.resolve(rel);
    }

    @Test
    void nlpClustersAtThreshold009MatchTheReference() throws Exception {
        check("nlp", 0.09, "leep_score_multirc.txt");
    }

    @Test
    void cvClustersAtThreshold003MatchTheReference() throws Exception {
        check("cv", 0.03, "leep_score_xray.txt");
    }

    private void check(String name, double threshold, String leepFile) throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("golden_clusters.json")) {
            golden = new ObjectMapper().readTree(in).get(name);
        }
        PerformanceMatrix p = PerformanceMatrix.read(PAPER.resolve(name + "/matrix.txt"), PAPER.resolve(name + "/datasets.txt"));
        Map<String, Double> leep = LeepScores.read(PAPER.resolve(name + "/" + leepFile));
        CoarseRecall.Result r = CoarseRecall.run(p, threshold, leep, 15);

        List<List<String>> expected = new ArrayList<>();
        golden.get("clusters").forEach(c -> { List<String> g = new ArrayList<>(); c.forEach(x -> g.add(x.asText())); expected.add(g); });
        List<List<String>> actual = r.clusters().stream().map(c -> c.stream().map(p.models()::get).toList()).toList();
        assertEquals(expected, actual);
        assertTrue(expected.stream().anyMatch(c -> c.size() > 1), "the reference must have real clusters to compare");

        List<String> reps = new ArrayList<>();
        golden.get("representatives").forEach(x -> reps.add(x.asText()));
        assertEquals(reps, r.representatives().stream().map(p.models()::get).toList());
        for (int m = 0; m < p.modelCount(); m++)
            assertEquals(golden.get("proxy").get(p.models().get(m)).asDouble(), r.proxy()[m], 1e-9, p.models().get(m));
        List<String> recall = new ArrayList<>();
        golden.get("recall15").forEach(x -> recall.add(x.asText()));
        assertEquals(recall, r.recalled().stream().map(p.models()::get).toList());
        assertEquals(golden.get("distance_0_1").asDouble(), ModelDistance.between(p.column(0), p.column(1)), 1e-12);
        assertEquals(golden.get("distance_2_8").asDouble(), ModelDistance.between(p.column(2), p.column(8)), 1e-12);
    }
}
