package org.layerwise.probeedit.method.probe;

import java.util.Locale;

/**
 * Low and high layer regions for a JEEP edit, proposed from the contrast probe (inclusive layer ranges).
 *
 * <p>The rule follows the paper's reading of its figure. Low layers enrich the subject's last token with the
 * answer (the original's rank at the last subject token improves); early high layers promote the answer at the
 * prediction position (its probability at the last token rises); the last layers normalise the distribution and
 * are never proposed. Widths scale the published LLaMA-7B regions (low 5..10, high 22..24 of 32 layers):
 * low = max(1, round(6L/32)) layers, high = max(1, round(3L/32)), and the last max(1, round(L/5)) layers are the
 * normaliser. The high region is the window outside the normaliser (with room for a low region before it) with the
 * largest rise of log probability of the original answer at the last token, summed layer to layer over the
 * window; the low region is the window before it with the largest fall of log(1 + rank) of the original answer at
 * the last subject token.
 *
 * @param reason what the proposal rests on, in words, for the user
 */
public record LayerRegions(int lowStart, int lowEnd, int highStart, int highEnd, String reason) {
    public LayerRegions {
        if (lowStart < 0 || lowEnd < lowStart || highStart <= lowEnd || highEnd < highStart)
            throw new IllegalArgumentException("Regions must be ordered: low " + lowStart + ".." + lowEnd
                    + " before high " + highStart + ".." + highEnd);
    }

    /** From one fact's probe. */
    public static LayerRegions propose(ProbeResult r) {
        return propose(r.original().rankAt(r.subjectLast()), r.original().probAt(r.last()));
    }

    /** From a data set probe's mean curves. */
    public static LayerRegions propose(DatasetProbe.Result r) {
        return propose(r.band(DatasetProbe.Position.SUBJECT_LAST, DatasetProbe.ORIGINAL_RANK).mean(),
                r.band(DatasetProbe.Position.LAST, DatasetProbe.ORIGINAL_PROB).mean());
    }

    /**
     * @param subjectRank original answer's rank at the last subject token, per layer
     * @param lastProb    original answer's probability at the last token, per layer
     */
    public static LayerRegions propose(double[] subjectRank, double[] lastProb) {
        int layers = subjectRank.length;
        if (layers < 3) throw new IllegalArgumentException("Region proposal needs at least 3 layers, the model has " + layers);
        if (lastProb.length != layers) throw new IllegalArgumentException("Curves differ in length: " + layers + " vs " + lastProb.length);
        int wLow = Math.max(1, (int) Math.round(6.0 * layers / 32));
        int wHigh = Math.max(1, (int) Math.round(3.0 * layers / 32));
        int tail = Math.max(1, (int) Math.round(layers / 5.0));
        // shrink for very small models so that low, high and the normaliser all fit
        while (wLow + wHigh + tail > layers && wLow > 1) wLow--;
        while (wLow + wHigh + tail > layers && tail > 1) tail--;
        if (wLow + wHigh + tail > layers) tail = 0;

        double[] enrich = new double[layers];          // improvement of log(1 + rank) from layer l-1 to l
        double[] promote = new double[layers];         // rise of log p from layer l-1 to l
        for (int l = 1; l < layers; l++) {
            enrich[l] = Math.log1p(subjectRank[l - 1]) - Math.log1p(subjectRank[l]);
            promote[l] = Math.log(lastProb[l] + 1e-12) - Math.log(lastProb[l - 1] + 1e-12);
        }
        int highLast = layers - tail - 1;               // last layer a high region may use
        // promotion at the prediction position is the stronger signal: place the high region first, then the
        // low region before it
        int highStart = bestWindow(promote, wLow, highLast - wHigh + 1, wHigh);
        int highEnd = highStart + wHigh - 1;
        int lowStart = bestWindow(enrich, 0, highStart - wLow, wLow);
        int lowEnd = lowStart + wLow - 1;
        String reason = String.format(Locale.ROOT,
                "low %d..%d: largest improvement of the original answer's rank at the last subject token (log(1+rank) falls by %.2f); "
                        + "high %d..%d: largest rise of its log-probability at the last token (+%.2f); "
                        + "the last %d layer(s) are left as the distribution normaliser. Widths %d and %d scale LLaMA-7B's 6 and 3 of 32 layers.",
                lowStart, lowEnd, sum(enrich, lowStart, wLow), highStart, highEnd, sum(promote, highStart, wHigh), tail, wLow, wHigh);
        double enrichment = sum(enrich, lowStart, wLow), promotion = sum(promote, highStart, wHigh);
        if (enrichment < 0.05 || promotion < 0.05)
            reason += " Caution: the " + (enrichment < 0.05 ? "enrichment" : "promotion") + " signal is weak here"
                    + " (the answer barely moves in that window); probe a data set for a steadier proposal.";
        return new LayerRegions(lowStart, lowEnd, highStart, highEnd, reason);
    }

    /** Start in [from, to] of the width-w window with the largest sum (the earliest on ties). */
    private static int bestWindow(double[] gain, int from, int to, int w) {
        int best = from;
        double bestSum = Double.NEGATIVE_INFINITY;
        for (int s = from; s <= Math.max(from, to); s++) {
            double v = sum(gain, s, w);
            if (v > bestSum + 1e-12) { bestSum = v; best = s; }
        }
        return best;
    }

    private static double sum(double[] a, int start, int w) {
        double s = 0;
        for (int i = start; i < start + w && i < a.length; i++) s += a[i];
        return s;
    }

    @Override
    public String toString() {
        return "low " + lowStart + ".." + lowEnd + ", high " + highStart + ".." + highEnd;
    }
}
