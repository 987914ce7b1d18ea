package org.layerwise.rationale.method;

import org.junit.jupiter.api.Test;
import org.layerwise.engine.data.nlu.NluPrompt;
import org.layerwise.engine.data.nlu.NluRecord;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerExtractionTest {
    private final NluRecord capital = new NluRecord("m-1", "multihop", "context : …", "question : …",
            "new delhi | paris | rome", "new delhi", "");

    @Test
    void extractsTheAnswerAfterThePhraseWhateverTheDecoderSpacing() {
        assertEquals(Optional.of("new delhi"), NluPrompt.extract("ravi is from india . therefore , the answer is : new delhi"));
        assertEquals(Optional.of("new delhi"), NluPrompt.extract("ravi is from india. therefore, the answer is: new delhi."));
        assertEquals(Optional.of("yes"), NluPrompt.extract("Therefore, the answer is: Yes . 7 is more"));
    }

    @Test
    void takesTheLastPhraseWhenTheModelRepeatsItself() {
        assertEquals(Optional.of("rome"), NluPrompt.extract("therefore , the answer is : paris . no : therefore , the answer is : rome"));
    }

    @Test
    void noPhraseOrNothingAfterItIsAFormatError() {
        assertTrue(NluPrompt.extract("ravi is from india . the capital of india is new delhi").isEmpty());
        assertTrue(NluPrompt.extract("therefore , the answer is :").isEmpty());
        Answer a = NluEvaluation.judgeCot(capital, "ravi is from india . the capital");
        assertTrue(a.formatError());
        assertFalse(a.correct());
        assertNull(a.prediction());
    }

    @Test
    void cotAnswerIsJudgedAgainstTheLabel() {
        assertTrue(NluEvaluation.judgeCot(capital, "… therefore, the answer is: New Delhi").correct());
        Answer wrong = NluEvaluation.judgeCot(capital, "… therefore , the answer is : paris");
        assertFalse(wrong.correct());
        assertFalse(wrong.formatError());
        assertEquals("paris", wrong.prediction());
    }

    @Test
    void directGenerationMustNameAnOption() {
        assertTrue(NluEvaluation.judgeDirect(capital, " new delhi\nmore").correct());
        Answer other = NluEvaluation.judgeDirect(capital, " berlin");
        assertTrue(other.formatError());
        assertFalse(other.correct());
        Answer wrongOption = NluEvaluation.judgeDirect(capital, " rome");
        assertFalse(wrongOption.formatError());
        assertFalse(wrongOption.correct());
    }

    @Test
    void rationaleTargetKeepsOrAddsTheClosingPhrase() {
        NluRecord r = new NluRecord("s-1", "sum_compare", "is 3 plus 4 more than 6 ?", "", "yes | no", "yes",
                "3 plus 4 is 7 . 7 is more than 6 . therefore , the answer is : yes");
        assertEquals(r.rationale(), NluPrompt.rationaleTarget(r));
        assertEquals("3 plus 4 is 7 . 7 is more than 6 .", NluPrompt.reasoning(r));
        assertEquals("7 is more than 6 . therefore , the answer is : yes",
                NluPrompt.rationaleTarget(r.withRationale("7 is more than 6 .")));
    }
}
