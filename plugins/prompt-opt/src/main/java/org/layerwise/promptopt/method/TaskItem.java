package org.layerwise.promptopt.method;

import java.util.List;
import java.util.Set;

/**
 * One question of a prompt-optimisation task. {@code question} is what the base model sees after the prompt (for a
 * multiple-choice task it ends with the lettered options); {@code answers} are the accepted answers (letters such as
 * "A" for multiple choice, or normalised strings for a free-form task; some BIG-bench items accept two options).
 */
public record TaskItem(String id, String question, List<String> options, Set<String> answers) {
    public TaskItem {
        options = options == null ? List.of() : List.copyOf(options);
        answers = Set.copyOf(answers);
        if (answers.isEmpty()) throw new IllegalArgumentException("Item " + id + " has no correct answer");
    }

    public boolean multipleChoice() { return !options.isEmpty(); }

    /** The label shown to the optimizer: "(A) text" for multiple choice, the answer otherwise. */
    public String label() {
        if (!multipleChoice()) return String.join(" | ", answers.stream().sorted().toList());
        StringBuilder sb = new StringBuilder();
        for (String a : answers.stream().sorted().toList()) {
            if (sb.length() > 0) sb.append(" or ");
            sb.append('(').append(a).append(") ").append(options.get(a.charAt(0) - 'A'));
        }
        return sb.toString();
    }

    public static String letter(int i) { return String.valueOf((char) ('A' + i)); }
}
