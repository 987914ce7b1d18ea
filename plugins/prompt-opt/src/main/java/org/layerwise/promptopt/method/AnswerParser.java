package org.layerwise.promptopt.method;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the prediction from a base-model answer: the content of the last {@code \boxed{…}} (braces may nest). For a
 * multiple-choice item the content may be a letter ("B", "(B)", "B) text") or an option's text. No box, or a box that
 * names no option, is a format error: counted apart and kept out of the feedback, as in GRACE.
 */
public final class AnswerParser {
    /** The instruction appended to every base prompt (GRACE's answer format). */
    public static final String BOXED_FORMAT = "At the end show the answer option within \\boxed{}.";
    public static final String BOXED_FORMAT_FREE = "At the end show the final answer within \\boxed{}.";

    private static final Pattern LETTER = Pattern.compile("^\\(?([A-Za-z])\\)?(?:[.):\\s].*)?$", Pattern.DOTALL);

    private AnswerParser() {}

    /** The prediction, or null for a format error. */
    public static String parse(String response, TaskItem item) {
        String boxed = lastBoxed(response);
        if (boxed == null) return null;
        String content = boxed.replace("\\text{", "").replace("}", "").strip();
        if (content.isEmpty()) return null;
        if (!item.multipleChoice()) return normalise(content);
        Matcher m = LETTER.matcher(content);
        if (m.matches()) {
            String letter = m.group(1).toUpperCase(Locale.ROOT);
            int index = letter.charAt(0) - 'A';
            if (index >= 0 && index < item.options().size()) return letter;
        }
        for (int i = 0; i < item.options().size(); i++)
            if (normalise(item.options().get(i)).equals(normalise(content))) return TaskItem.letter(i);
        return null;
    }

    /** The content of the last \boxed{…}, braces balanced; null when there is none or it is not closed. */
    static String lastBoxed(String text) {
        if (text == null) return null;
        int at = text.lastIndexOf("\\boxed{");
        if (at < 0) return null;
        int depth = 0;
        int start = at + "\\boxed{".length();
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') depth++;
            else if (c == '}') {
                if (depth == 0) return text.substring(start, i);
                depth--;
            }
        }
        return null;
    }

    public static String normalise(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("[.!]+$", "");
    }
}
