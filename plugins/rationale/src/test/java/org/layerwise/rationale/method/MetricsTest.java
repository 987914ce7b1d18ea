package org.layerwise.rationale.method;

import org.junit.jupiter.api.Test;
import org.layerwise.engine.data.nlu.NluRecord;
import org.layerwise.engine.model.ContinuationScore;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsTest {
    private static ItemResult item(String id, boolean correct, boolean formatError) {
        return new ItemResult(id, "t", "yes", "p", "", Map.of(EvalMode.COT,
                new Answer(EvalMode.COT, formatError ? null : correct ? "yes" : "no", correct, formatError, "")));
    }

    @Test
    void accuracyCountsFormatErrorsAsWrongAndReportsThemApart() {
        // 4 items: 2 right, 1 wrong, 1 unparseable → acc 2/4, format errors 1/4, accuracy among parsed 2/3
        Score s = Score.of(List.of(item("a", true, false), item("b", true, false), item("c", false, false),
                item("d", false, true)), EvalMode.COT);
        assertEquals(4, s.items());
        assertEquals(0.5, s.accuracy(), 1e-12);
        assertEquals(0.25, s.formatErrorRate(), 1e-12);
        assertEquals(2.0 / 3, s.wellFormedAccuracy(), 1e-12);
        assertEquals(0, Score.of(List.of(item("a", true, false)), EvalMode.DIRECT_LL).items());
    }

    @Test
    void lengthNormalisationCanChangeThePick() {
        // "yes": −2.0 over 3 chars = −0.667/char; "entailment": −4.0 over 10 chars = −0.4/char
        NluRecord r = new NluRecord("x", "t", "a", "", "yes | entailment", "entailment", "");
        List<ContinuationScore> scores = List.of(new ContinuationScore(" yes", -2.0, 1), new ContinuationScore(" entailment", -4.0, 1));
        Answer acc = NluEvaluation.pick(r, r.options(), scores, false);
        Answer norm = NluEvaluation.pick(r, r.options(), scores, true);
        assertEquals("yes", acc.prediction());
        assertEquals(false, acc.correct());
        assertEquals("entailment", norm.prediction());
        assertEquals(true, norm.correct());
    }
}
