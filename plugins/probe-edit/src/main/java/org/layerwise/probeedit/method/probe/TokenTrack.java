package org.layerwise.probeedit.method.probe;

/**
 * One token followed through the layers: its probability and rank at every layer and token position.
 *
 * @param word  the answer or word it stands for
 * @param id    the token id (the first token of the word as it follows the prompt)
 * @param token the token's text
 * @param prob  [layer][position] probability
 * @param rank  [layer][position] rank: how many tokens are more probable (0 = top)
 */
public record TokenTrack(String word, int id, String token, float[][] prob, int[][] rank) {
    /** Probability at {@code position} for every layer. */
    public double[] probAt(int position) {
        double[] out = new double[prob.length];
        for (int l = 0; l < out.length; l++) out[l] = prob[l][position];
        return out;
    }

    /** Rank at {@code position} for every layer. */
    public double[] rankAt(int position) {
        double[] out = new double[rank.length];
        for (int l = 0; l < out.length; l++) out[l] = rank[l][position];
        return out;
    }
}
