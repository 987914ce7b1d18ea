package org.layerwise.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Token sequences for language-model training, served in batches. Each epoch visits every sequence once
 * in an order drawn from {@code new Random(seed + epoch)}, so batch i is the same on every run and after a
 * resume. {@link #evaluationBatches} serves the sequences in their stored order, for a held-out set.
 */
public final class TokenDataset implements BatchSource<TokenBatch> {
    private final List<int[]> sequences;
    private final int batchSize;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    private TokenDataset(List<int[]> sequences, int batchSize, long seed) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("No training sequences: the corpus gave no tokens");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        for (int[] s : sequences)
            if (s.length < 2) throw new IllegalArgumentException("A training sequence needs at least 2 tokens (one prediction)");
        this.sequences = List.copyOf(sequences);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** One sample per sequence (e.g. one per sentence), each cut to at most {@code maxLength} tokens. */
    public static TokenDataset ofSequences(List<int[]> sequences, int maxLength, int batchSize, long seed) {
        List<int[]> cut = new ArrayList<>();
        for (int[] s : sequences) {
            if (s.length >= 2) cut.add(s.length > maxLength ? Arrays.copyOf(s, maxLength) : s);
        }
        return new TokenDataset(cut, batchSize, seed);
    }

    /** A token stream cut into consecutive blocks of {@code blockLength} tokens (the last, shorter one kept if ≥ 2). */
    public static TokenDataset packed(int[] stream, int blockLength, int batchSize, long seed) {
        if (blockLength < 2) throw new IllegalArgumentException("block length must be at least 2, not " + blockLength);
        List<int[]> blocks = new ArrayList<>();
        for (int from = 0; from < stream.length; from += blockLength) {
            int[] b = Arrays.copyOfRange(stream, from, Math.min(stream.length, from + blockLength));
            if (b.length >= 2) blocks.add(b);
        }
        return new TokenDataset(blocks, batchSize, seed);
    }

    public int size() { return sequences.size(); }

    public int batchSize() { return batchSize; }

    public List<int[]> sequences() { return sequences; }

    @Override
    public synchronized TokenBatch batch(long index) {
        List<int[]> rows = new ArrayList<>(batchSize);
        int n = sequences.size();
        for (int j = 0; j < batchSize; j++) {
            long k = index * batchSize + j;
            rows.add(sequences.get(order(k / n)[(int) (k % n)]));
        }
        return new TokenBatch(rows);
    }

    /** Every sequence once, in stored order, in batches of the dataset's batch size. */
    public List<TokenBatch> evaluationBatches() {
        List<TokenBatch> out = new ArrayList<>();
        for (int from = 0; from < sequences.size(); from += batchSize)
            out.add(new TokenBatch(sequences.subList(from, Math.min(sequences.size(), from + batchSize))));
        return out;
    }

    private int[] order(long epoch) {
        if (epoch != cachedEpoch) {
            int[] order = new int[sequences.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Random random = new Random(seed + epoch);
            for (int i = order.length - 1; i > 0; i--) {      // Fisher–Yates
                int j = random.nextInt(i + 1);
                int t = order[i]; order[i] = order[j]; order[j] = t;
            }
            cachedOrder = order;
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }
}
