package org.layerwise.promptopt.method;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layerwise.promptopt.method.PromptDiff.Kind.ADDED;
import static org.layerwise.promptopt.method.PromptDiff.Kind.REMOVED;
import static org.layerwise.promptopt.method.PromptDiff.Kind.SAME;

class PromptDiffTest {
    @Test
    void wordsKeptRemovedAndAdded() {
        assertThat(PromptDiff.of("Answer the question.", "Answer the hard question carefully."))
                .containsExactly(new PromptDiff.Segment(SAME, "Answer the "), new PromptDiff.Segment(ADDED, "hard question carefully."),
                        new PromptDiff.Segment(REMOVED, "question."));
        assertThat(PromptDiff.of("Be brief. Answer.", "Be very brief. Answer."))
                .containsExactly(new PromptDiff.Segment(SAME, "Be "), new PromptDiff.Segment(ADDED, "very "),
                        new PromptDiff.Segment(SAME, "brief. Answer."));
        assertThat(PromptDiff.of("same", "same")).containsExactly(new PromptDiff.Segment(SAME, "same"));
        assertThat(PromptDiff.of("", "new")).containsExactly(new PromptDiff.Segment(ADDED, "new"));
    }
}
