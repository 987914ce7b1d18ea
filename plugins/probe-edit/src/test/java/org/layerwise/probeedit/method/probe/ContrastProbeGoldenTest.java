package org.layerwise.probeedit.method.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The probe against an independent PyTorch re-implementation (src/test/resources/probe-golden/make_golden.py)
 * on the same fp16 safetensors weights of a tiny random LLaMA-style model: probabilities and ranks of both
 * answers at every layer and position, after the MLP and after attention, with and without the final norm.
 */
class ContrastProbeGoldenTest {
    static Path dir;
    static TransformerModel model;
    static JsonNode golden;

    @BeforeAll static void load() throws Exception {
        dir = Path.of(ContrastProbeGoldenTest.class.getResource("/probe-golden/golden.json").toURI()).getParent();
        model = SampleModels.load(dir.resolve("model"));
        golden = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
    }

    @AfterAll static void close() { model.close(); }

    @Test void matchesTheTorchReferenceInEveryReading() {
        int cells = 0;
        for (JsonNode c : golden) {
            ProbeRequest r = new ProbeRequest(c.get("prompt").asText(), c.get("subject").asText(),
                    c.get("original").asText(), c.get("target").asText());
            for (ProbeOptions.Site site : ProbeOptions.Site.values()) {
                for (boolean norm : new boolean[] {false, true}) {
                    ProbeResult p = ContrastProbe.run(model, r, ProbeOptions.paper().withSite(site).withFinalNorm(norm));
                    String key = site.cliName() + "_" + (norm ? "norm" : "raw");
                    assertEquals(c.get("ids").size(), p.tokens().length, "token count");
                    assertEquals(c.get("subject_last").asInt(), p.subjectLast(), "subject position");
                    assertEquals(c.get("original_id").asInt(), p.original().id());
                    assertEquals(c.get("target_id").asInt(), p.target().id());
                    for (TokenTrack t : new TokenTrack[] {p.original(), p.target()}) {
                        String who = t == p.original() ? "original" : "target";
                        JsonNode prob = c.get(key).get(who + "_prob");
                        JsonNode rank = c.get(key).get(who + "_rank");
                        for (int l = 0; l < p.layers(); l++) {
                            for (int i = 0; i < p.tokens().length; i++) {
                                double want = prob.get(l).get(i).asDouble();
                                String where = r.subject() + " " + key + " " + who + " layer " + l + " position " + i;
                                assertEquals(want, t.prob()[l][i], 1e-9 + 1e-4 * want, where);
                                assertEquals(rank.get(l).get(i).asInt(), t.rank()[l][i], 1, where);
                                cells++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(2 * 4 * 3 * (5 + 8 + 6), cells);
    }
}
