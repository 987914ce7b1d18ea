package org.layerwise.engine.data.nlu;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an NLU item becomes a prompt and a target. Direct prompts end in "answer :" and are followed by the label;
 * chain-of-thought (CoT) prompts end in "explain :" and are followed by the rationale, which ends in the fixed
 * phrase {@value #ANSWER_PHRASE} and the label (the NLURC convention). The sample models were trained on exactly
 * these shapes; other backends get the same text.
 */
public final class NluPrompt {
    /** Closing phrase of every rationale; the label follows it. */
    public static final String ANSWER_PHRASE = "therefore , the answer is :";

    /** The phrase, tolerant of the spacing a decoder produces ("therefore, the answer is:"). */
    private static final Pattern ANSWER = Pattern.compile("therefore\\s*,\\s*the\\s+answer\\s+is\\s*:",
            Pattern.CASE_INSENSITIVE);

    private NluPrompt() {}

    /** The item's question, shared by both modes: task name, inputs and options. */
    public static String body(NluRecord r) {
        StringBuilder sb = new StringBuilder("task : ").append(r.task().replace('_', ' ')).append(" .");
        if (!r.textA().isEmpty()) sb.append(' ').append(r.textA());
        if (!r.textB().isEmpty()) sb.append(' ').append(r.textB());
        if (!r.textC().isEmpty()) sb.append(" options : ").append(r.textC()).append(" .");
        return sb.toString();
    }

    public static String direct(NluRecord r) { return body(r) + " answer :"; }

    public static String cot(NluRecord r) { return body(r) + " explain :"; }

    /** The rationale with its closing phrase and label, as a CoT target (the rationale files hold it whole). */
    public static String rationaleTarget(NluRecord r) {
        String rat = r.rationale().strip();
        if (rat.isEmpty()) return ANSWER_PHRASE + " " + r.label();
        return extract(rat).isPresent() ? rat : rat + " " + ANSWER_PHRASE + " " + r.label();
    }

    /** The rationale without its closing phrase: the "because …" part of an explain target. */
    public static String reasoning(NluRecord r) {
        String rat = r.rationale().strip();
        Matcher m = ANSWER.matcher(rat);
        return (m.find() ? rat.substring(0, m.start()) : rat).strip();
    }

    /**
     * The answer after the last closing phrase of a generated text, trimmed of trailing punctuation, spaces and
     * anything after the first sentence end; empty when the phrase never appears (a format error).
     */
    public static Optional<String> extract(String generated) {
        Matcher m = ANSWER.matcher(generated);
        int after = -1;
        while (m.find()) after = m.end();
        if (after < 0) return Optional.empty();
        String rest = generated.substring(after);
        int nl = rest.indexOf('\n');
        return Optional.of(clean(nl >= 0 ? rest.substring(0, nl) : rest)).filter(s -> !s.isEmpty());
    }

    /** Normal form for comparing a generated answer with a label: lower case, single spaces, no final period. */
    public static String clean(String answer) {
        String s = answer.toLowerCase(Locale.ROOT).strip();
        int stop = s.indexOf(" .");
        if (stop < 0) stop = s.indexOf(". ");
        if (stop >= 0) s = s.substring(0, stop);
        s = s.replaceAll("[\\s.]+$", "").replaceAll("\\s+", " ");
        return s.strip();
    }
}
