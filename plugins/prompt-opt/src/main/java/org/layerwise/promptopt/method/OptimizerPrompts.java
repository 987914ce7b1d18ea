package org.layerwise.promptopt.method;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the optimizer model is asked. GRACE's refinement shows successes and failures together and asks for minimal,
 * general changes; its compression asks for a shorter prompt that keeps the core guidance. Both answers carry the
 * new prompt between {@code <START>} and {@code </START>}.
 */
public final class OptimizerPrompts {
    private static final Pattern TAGGED = Pattern.compile("<START>(.*?)(?:</START>|<END>)", Pattern.DOTALL);

    private OptimizerPrompts() {}

    public static String refine(String prompt, List<FeedbackExample> successes, List<FeedbackExample> failures,
                                int formatErrors, int answered) {
        StringBuilder sb = new StringBuilder();
        sb.append("I'm writing a prompt for a language model designed for a task.\n\n");
        sb.append("My current prompt is:\n\"").append(prompt).append("\"\n\n");
        if (!successes.isEmpty()) {
            sb.append("With this prompt the model answers these examples correctly:\n");
            appendExamples(sb, successes);
        }
        if (!failures.isEmpty()) {
            sb.append("But it answers these examples wrongly:\n");
            appendExamples(sb, failures);
        }
        if (successes.isEmpty() && failures.isEmpty())
            sb.append("None of the model's ").append(answered).append(" answers followed the answer format, so no example can be shown.\n\n");
        else if (formatErrors > 0)
            sb.append("(").append(formatErrors).append(" of ").append(answered)
                    .append(" answers did not follow the answer format and are not shown.)\n\n");
        sb.append("""
                Carefully compare the correct and the wrong examples, then improve the prompt:
                1. Keep what makes the model succeed on the correct examples.
                2. Fix what leads it to the wrong answers.
                3. Do not add rules that only fit these particular examples; the prompt must work on unseen questions.
                4. Make minimal, stable changes rather than rewriting everything.
                5. Do not include the answer format instruction; it is added after the question.

                Return only the new prompt between <START> and </START>.""");
        return sb.toString();
    }

    public static String compress(String prompt) {
        return "I'm writing a prompt for a language model designed for a task.\n\n"
                + "My current prompt is:\n\"" + prompt + "\"\n\n"
                + """
                The prompt has grown long and stopped improving. Rewrite it as a shorter, cleaner prompt that keeps
                its core guidance: drop redundant, over-specific and example-bound rules, merge overlapping
                instructions, and keep the task definition and the decisive reasoning steps.

                Return only the compressed prompt between <START> and </START>.""";
    }

    private static void appendExamples(StringBuilder sb, List<FeedbackExample> examples) {
        int i = 1;
        for (FeedbackExample e : examples) {
            sb.append("<").append(i++).append(">\nThe model's input is:\n").append(e.input()).append("\n\n")
                    .append("The model's response is:\n").append(e.reasoning().strip()).append("\n\n")
                    .append("The correct label is: ").append(e.label()).append("\n")
                    .append("The model's prediction is: ").append(e.prediction()).append("\n\n");
        }
    }

    /** The tagged prompt (the last one when there are several), or null when the answer has none. */
    public static String extract(String response) {
        if (response == null) return null;
        Matcher m = TAGGED.matcher(response);
        String found = null;
        while (m.find()) found = m.group(1).strip();
        if (found != null && found.startsWith("\"") && found.endsWith("\"") && found.length() > 1)
            found = found.substring(1, found.length() - 1).strip();
        return found == null || found.isEmpty() ? null : found;
    }
}
