package org.layerwise.probeedit.method.probe;

import java.util.List;
import java.util.Map;

/**
 * What a contrast probe read for one prompt: every layer × every token position, for the original and the
 * target answer (and any extra words), plus summed probabilities of the token sets.
 *
 * @param tokens       the prompt's tokens as the model read them (with BOS when the tokenizer adds one)
 * @param subjectLast  position of the last subject token
 * @param sets         token set name → [layer][position] summed probability of the set's first tokens
 */
public record ProbeResult(ProbeRequest request, ProbeOptions options, String[] tokens, int subjectLast,
                          TokenTrack original, TokenTrack target, List<TokenTrack> extra,
                          Map<String, float[][]> sets) {
    public int layers() { return original.prob().length; }

    /** The prediction position (last prompt token). */
    public int last() { return tokens.length - 1; }

    /** The tracked token for a word: original, target or one of the extra words. */
    public TokenTrack track(String word) {
        if (original.word().equals(word)) return original;
        if (target.word().equals(word)) return target;
        for (TokenTrack t : extra) if (t.word().equals(word)) return t;
        throw new IllegalArgumentException("No track for \"" + word + "\"; probed: " + original.word() + ", " + target.word()
                + (extra.isEmpty() ? "" : ", " + extra.stream().map(TokenTrack::word).toList()));
    }

    /** Summed probability of a token set at {@code position} for every layer. */
    public double[] setProbAt(String set, int position) {
        float[][] p = sets.get(set);
        if (p == null) throw new IllegalArgumentException("No token set '" + set + "'; probed: " + sets.keySet());
        double[] out = new double[p.length];
        for (int l = 0; l < out.length; l++) out[l] = p[l][position];
        return out;
    }
}
