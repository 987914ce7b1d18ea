package org.layerwise.playground.method;

/**
 * Token strings made visible: a leading space becomes "␣", newlines "↵", tabs "⇥", so " Paris" and
 * "Paris" are told apart in the chart and the table.
 */
public final class TokenText {
    private TokenText() {}

    public static String visible(String token) {
        if (token == null) return "";
        if (token.isEmpty()) return "∅";
        StringBuilder b = new StringBuilder(token.length() + 2);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            switch (c) {
                case ' ' -> b.append('␣');
                case '\n' -> b.append('↵');
                case '\r' -> b.append('␍');
                case '\t' -> b.append('⇥');
                default -> b.append(Character.isISOControl(c) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return b.toString();
    }
}
