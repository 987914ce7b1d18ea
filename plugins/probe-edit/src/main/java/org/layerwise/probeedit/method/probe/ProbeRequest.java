package org.layerwise.probeedit.method.probe;

import java.util.Objects;

/**
 * One fact to probe: a prompt (either with {@code {}} where the subject goes, CounterFact style, or with the
 * subject written out), the subject, the original answer ({@code target_true}) and the target answer
 * ({@code target_new}).
 */
public record ProbeRequest(String prompt, String subject, String original, String target) {
    public ProbeRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(target, "target");
        if (prompt.isBlank()) throw new IllegalArgumentException("The prompt is empty");
        if (subject.isBlank()) throw new IllegalArgumentException("The subject is empty");
        if (original.isBlank()) throw new IllegalArgumentException("The original answer is empty");
        if (target.isBlank()) throw new IllegalArgumentException("The target answer is empty");
    }

    /** The prompt as the model reads it (the subject put in for {@code {}}). */
    public String text() {
        return prompt.contains("{}") ? prompt.replace("{}", subject) : prompt;
    }

    /** [start, end) of the subject in {@link #text()}: where {@code {}} stood, else its first occurrence. */
    public int[] subjectSpan() {
        int at = prompt.indexOf("{}");
        if (at < 0) at = prompt.indexOf(subject);
        if (at < 0)
            throw new IllegalArgumentException("The subject \"" + subject + "\" does not occur in the prompt \"" + prompt
                    + "\"; write it into the prompt or put {} where it goes");
        return new int[] {at, at + subject.length()};
    }
}
