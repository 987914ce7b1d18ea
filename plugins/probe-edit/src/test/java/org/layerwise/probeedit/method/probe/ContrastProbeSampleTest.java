package org.layerwise.probeedit.method.probe;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.TransformerModel;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.layerwise.sdk.figure.DatasetCsv;

import static org.junit.jupiter.api.Assertions.*;

/** The probe on the trained sample fact model: the fact it learned must win at the last layer. */
class ContrastProbeSampleTest {
    static TransformerModel model;

    @BeforeAll static void load() throws Exception { model = SampleModels.load(SampleModels.factsLlama()); }

    @AfterAll static void close() { model.close(); }

    @Test void originalAnswerWinsAtTheLastLayerWithTheFinalNorm() throws Exception {
        ProbeRequest r = new ProbeRequest("The capital of {} is", "France", "Paris", "Berlin");
        ProbeResult p = ContrastProbe.run(model, r, ProbeOptions.paper().withFinalNorm(true));
        int last = p.last();
        int L = p.layers();
        System.out.println(Arrays.toString(p.tokens()) + " subjectLast=" + p.subjectLast());
        System.out.println("orig rank last " + Arrays.toString(p.original().rankAt(last)));
        System.out.println("orig prob last " + Arrays.toString(p.original().probAt(last)));
        System.out.println("tgt rank last " + Arrays.toString(p.target().rankAt(last)));
        System.out.println("orig rank subj " + Arrays.toString(p.original().rankAt(p.subjectLast())));
        assertEquals("France", p.tokens()[p.subjectLast()].strip());
        assertEquals(0, p.original().rank()[L - 1][last], "Paris is top-1 after the final layer");
        // with the final norm the last layer's lens is the model's own next-token distribution
        var next = model.nextTokens(r.text(), 1).get(0);
        assertEquals(next.id(), p.original().id());
        assertEquals(next.probability(), p.original().prob()[L - 1][last], 1e-4);
        ProbeResult raw = ContrastProbe.run(model, r, ProbeOptions.paper());
        System.out.println("raw orig prob last " + Arrays.toString(raw.original().probAt(last)));
        LayerRegions regions = LayerRegions.propose(p);
        assertTrue(regions.highEnd() < L - 1, "the last layer is the normaliser: " + regions);
        JFreeChart figure = ProbeFigures.probe(p, regions, 1);
        assertEquals(3, ((CombinedDomainXYPlot) figure.getPlot()).getSubplots().size());
        JFreeChart compare = ProbeFigures.beforeAfter(raw, p, regions);
        StringWriter compareCsv = new StringWriter();
        DatasetCsv.write(compare, compareCsv);
        assertTrue(compareCsv.toString().contains("last token \u201cis\u201d: p Paris after"), compareCsv.toString());
        JFreeChart heat = ProbeFigures.heatmap(p, p.track("Paris"));
        assertNotNull(heat.getPlot());
    }

    @Test void datasetMeansWithBandsAndTokenSets() throws Exception {
        List<ProbeRequest> facts = ProbeDataset.read(SampleModels.repoRoot().resolve("sample-data/world/heldout_counterfact.json"))
                .subList(0, 12);
        Map<String, List<String>> sets = new LinkedHashMap<>(TokenSets.defaults());
        sets.put(TokenSets.RELATED, TokenSets.relatedWords(facts));
        ProbeOptions o = ProbeOptions.paper().withFinalNorm(true).withTokenSets(sets);
        DatasetProbe.Result d = DatasetProbe.run(model, facts, o, null);
        assertEquals(12, d.probed() + d.skipped().size());
        Band orig = d.band(DatasetProbe.Position.LAST, DatasetProbe.ORIGINAL_PROB);
        Band tgt = d.band(DatasetProbe.Position.LAST, DatasetProbe.TARGET_PROB);
        int L = d.layers();
        assertTrue(orig.mean()[L - 1] > 0.5 && orig.mean()[L - 1] > tgt.mean()[L - 1], Arrays.toString(orig.mean()));
        for (int l = 0; l < L; l++) assertTrue(orig.lower()[l] <= orig.mean()[l] && orig.mean()[l] <= orig.upper()[l]);
        // the related words include every original answer, so their summed probability bounds the original's
        Band related = d.band(DatasetProbe.Position.LAST, "set: " + TokenSets.RELATED);
        for (int l = 0; l < L; l++) assertTrue(related.mean()[l] >= orig.mean()[l] - 1e-6);
        StringWriter csv = new StringWriter();
        DatasetCsv.write(ProbeFigures.datasetProbe(d, LayerRegions.propose(d)), csv);
        assertTrue(csv.toString().contains("last token: original prob (95% upper)"), csv.toString().substring(0, 200));
        assertNotNull(ProbeFigures.tokenSets(d).getPlot());
    }
}
