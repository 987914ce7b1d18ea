package org.layerwise.probeedit.method.probe;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.tokenizer.Encoding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Hand-checked cases for the parts around the forward pass. */
class ProbePartsTest {
    @Test void subjectPositionIsTheLastTokenOverlappingTheSubject() {
        ProbeRequest r = new ProbeRequest("{} is located in", "The Eiffel Tower", "Paris", "Rome");
        assertEquals("The Eiffel Tower is located in", r.text());
        // tokens: "The" [0,3) " Eiff" [3,8) "el" [8,10) " Tower" [10,16) " is" [16,19) ...
        Encoding e = new Encoding(new int[] {1, 2, 3, 4, 5, 6, 7}, new String[7],
                new int[] {0, 3, 8, 10, 16, 19, 27}, new int[] {3, 8, 10, 16, 19, 27, 30});
        assertEquals(3, ContrastProbe.subjectLast(e, r));
        ProbeRequest written = new ProbeRequest("The capital of France is", "France", "Paris", "Berlin");
        assertArrayEquals(new int[] {15, 21}, written.subjectSpan());
        var missing = new ProbeRequest("The capital is", "France", "Paris", "Berlin");
        assertTrue(assertThrows(IllegalArgumentException.class, missing::subjectSpan).getMessage().contains("\"France\""));
    }

    @Test void bandIsMeanPlusMinus196StandardErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            // layer 0: 1, 2, 3 → mean 2, sd 1, sem 1/√3; layer 1: 5, 5, 5 → no spread
            Band b = DatasetProbe.band(m, List.of(new float[] {1, 5}, new float[] {2, 5}, new float[] {3, 5}), 2);
            assertEquals(2, b.mean()[0], 1e-12);
            assertEquals(2 - 1.96 / Math.sqrt(3), b.lower()[0], 1e-9);
            assertEquals(2 + 1.96 / Math.sqrt(3), b.upper()[0], 1e-9);
            assertEquals(5, b.lower()[1], 1e-12);
            assertEquals(3, b.n());
        }
    }

    @Test void regionsFollowEnrichmentThenPromotion() {
        // 32 layers: the subject-last rank falls fastest over layers 4..9, the last-token probability rises
        // fastest over layers 20..22; the normaliser (last 6) is never proposed
        double[] rank = new double[32];
        double[] prob = new double[32];
        for (int l = 0; l < 32; l++) {
            rank[l] = l < 4 ? 1000 : l <= 9 ? 1000 / Math.pow(3, l - 3) : 1000 / Math.pow(3, 6);
            prob[l] = l < 20 ? 1e-4 : l <= 22 ? 1e-4 * Math.pow(20, l - 19) : 0.8;
        }
        prob[30] = 0.99;   // a late jump inside the normaliser must not win
        prob[31] = 0.99;
        LayerRegions r = LayerRegions.propose(rank, prob);
        assertEquals(4, r.lowStart());
        assertEquals(9, r.lowEnd());
        assertEquals(20, r.highStart());
        assertEquals(22, r.highEnd());
        assertTrue(r.reason().contains("normaliser"));
        // six layers: one low, one high, the last one left alone
        LayerRegions small = LayerRegions.propose(new double[] {500, 100, 90, 80, 70, 60}, new double[] {0.01, 0.01, 0.02, 0.5, 0.6, 0.99});
        assertEquals(1, small.lowStart());
        assertEquals(1, small.lowEnd());
        assertEquals(3, small.highStart());
        assertTrue(small.highEnd() <= 4);
    }

    @Test void datasetReadsCounterFactAndJsonLinesAndNamesBadRecords(@TempDir Path dir) throws Exception {
        Path cf = dir.resolve("cf.json");
        Files.writeString(cf, "[{\"case_id\":7,\"requested_rewrite\":{\"prompt\":\"The capital of {} is\",\"subject\":\"France\","
                + "\"target_new\":{\"str\":\"Berlin\"},\"target_true\":{\"str\":\"Paris\"}}}]");
        ProbeRequest r = ProbeDataset.read(cf).get(0);
        assertEquals(new ProbeRequest("The capital of {} is", "France", "Paris", "Berlin"), r);
        Path jl = dir.resolve("f.jsonl");
        Files.writeString(jl, "{\"prompt\":\"The capital of France is\",\"subject\":\"France\",\"target_true\":\"Paris\",\"target_new\":\"Rome\"}\n\n"
                + "{\"prompt\":\"The capital of Spain is\",\"subject\":\"Spain\",\"target_true\":\"Madrid\"}\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ProbeDataset.read(jl));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("'target_new'"), e.getMessage());
        Files.writeString(jl, "{\"prompt\":\"The capital is\",\"subject\":\"Spain\",\"target_true\":\"Madrid\",\"target_new\":\"Rome\"}");
        e = assertThrows(IllegalArgumentException.class, () -> ProbeDataset.read(jl));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("does not occur"), e.getMessage());
    }

    @Test void shippedTokenSetsLoad() {
        var sets = TokenSets.defaults();
        assertEquals(List.of("stop-words", "non-factual words", "unrelated words"), List.copyOf(sets.keySet()));
        assertTrue(sets.get("stop-words").contains("the"));
    }
}
