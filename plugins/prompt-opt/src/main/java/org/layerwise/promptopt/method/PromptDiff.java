package org.layerwise.promptopt.method;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level diff of two prompts (longest common subsequence over words and the whitespace between them): what
 * the optimizer kept, removed and added.
 */
public final class PromptDiff {
    public enum Kind { SAME, REMOVED, ADDED }

    public record Segment(Kind kind, String text) {}

    private static final Pattern TOKEN = Pattern.compile("\\s+|[^\\s]+");

    private PromptDiff() {}

    public static List<Segment> of(String before, String after) {
        List<String> a = tokens(before), b = tokens(after);
        int n = a.size(), m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        List<Segment> out = new ArrayList<>();
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) { add(out, Kind.SAME, a.get(i)); i++; j++; }
            else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) { add(out, Kind.ADDED, b.get(j)); j++; }
            else { add(out, Kind.REMOVED, a.get(i)); i++; }
        }
        return out;
    }

    private static void add(List<Segment> out, Kind kind, String text) {
        if (!out.isEmpty() && out.get(out.size() - 1).kind() == kind) {
            Segment last = out.remove(out.size() - 1);
            out.add(new Segment(kind, last.text() + text));
        } else out.add(new Segment(kind, text));
    }

    private static List<String> tokens(String s) {
        List<String> t = new ArrayList<>();
        Matcher m = TOKEN.matcher(s == null ? "" : s);
        while (m.find()) t.add(m.group());
        return t;
    }
}
