package org.layerwise.rationale.method;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridResultTest {
    /** Two models, base only: small right directly but wrong with CoT on item 1; large the other way round. */
    static GridResult sample() {
        return new GridResult("sample-data/nlu", List.of(EvalMode.DIRECT_LL, EvalMode.COT), List.of(
                new GridCell("nlu-small", 40_000, "base", Double.NaN, List.of(), 0, List.of(
                        item("sum_compare-test-0", "sum_compare", true, false), item("sum_less-test-0", "sum_less", true, true))),
                new GridCell("nlu-large", 900_000, "base", Double.NaN, List.of(), 0, List.of(
                        item("sum_compare-test-0", "sum_compare", false, true), item("sum_less-test-0", "sum_less", true, true))),
                new GridCell("nlu-large", 900_000, "align", 0.5, List.of(1.2, 0.8), 3.5, List.of(
                        item("sum_compare-test-0", "sum_compare", true, true), item("sum_less-test-0", "sum_less", false, true)))));
    }

    static ItemResult item(String id, String task, boolean directRight, boolean cotRight) {
        return new ItemResult(id, task, "yes", "task : " + task + " . is 3 plus 4 more than 6 ?",
                "3 plus 4 is 7 . 7 is more than 6 . therefore , the answer is : yes", Map.of(
                EvalMode.DIRECT_LL, new Answer(EvalMode.DIRECT_LL, directRight ? "yes" : "no", directRight, false, "yes=-0.1 no=-2.3"),
                EvalMode.COT, new Answer(EvalMode.COT, cotRight ? "yes" : "no", cotRight, false,
                        "3 plus 4 is 7 . therefore, the answer is: " + (cotRight ? "yes" : "no"))));
    }

    @Test
    void roundTripsThroughJsonAndPoolsTrainedAndHeldOutTasks(@TempDir Path tmp) throws Exception {
        GridResult r = sample();
        r.write(tmp.resolve("r.json"));
        GridResult back = GridResult.read(tmp.resolve("r.json"));
        assertEquals(r.cells().size(), back.cells().size());
        assertTrue(Double.isNaN(back.cells().get(0).w()));
        assertEquals("align w=0.5", back.cells().get(2).label());
        assertEquals(r.cells().get(1).items(), back.cells().get(1).items());
        GridCell small = back.cells().get(0);
        assertEquals(1.0, small.pooled(false, EvalMode.DIRECT_LL).accuracy());   // sum_compare is trained
        assertEquals(0.0, small.pooled(false, EvalMode.COT).accuracy());
        assertEquals(1.0, small.pooled(true, EvalMode.COT).accuracy());          // sum_less is held out
        assertEquals(List.of("nlu-small", "nlu-large"), back.models());
        assertEquals(List.of("base", "align w=0.5"), back.methods());
    }

    @Test
    void pairedViewListsOnlyDisagreements() {
        var pairs = PairedItems.disagreements(sample().cells().get(0), EvalMode.DIRECT_LL, EvalMode.COT);
        assertEquals(1, pairs.size());
        assertEquals("sum_compare-test-0", pairs.get(0).item().id());
        assertTrue(pairs.get(0).firstRight());
        String table = ComparisonTable.markdown(sample());
        assertTrue(table.contains("| nlu-small | 40,000 | base | 1 | 100.0% | 0.0% | 0.0% | 100.0% | 100.0% | 0.0% | – |"), table);
    }
}
