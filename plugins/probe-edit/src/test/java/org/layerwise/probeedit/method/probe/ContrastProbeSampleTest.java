package org.layerwise.probeedit.method.probe;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.TransformerModel;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The probe on the trained sample fact model: the fact it learned must win at the last layer. */
class ContrastProbeSampleTest {
    static TransformerModel model;

    @BeforeAll static void load() throws Exception { model = SampleModels.load(SampleModels.factsLlama()); }

    @AfterAll static void close() { model.close(); }

    @Test void originalAnswerWinsAtTheLastLayerWithTheFinalNorm() {
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
    }
}
