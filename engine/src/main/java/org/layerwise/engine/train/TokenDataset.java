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
    private final List<TrainingExample> examples;
    private final int batchSize;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    private TokenDataset(List<TrainingExample> examples, int batchSize, long seed) {
        if (examples.isEmpty()) throw new IllegalArgumentException("No training sequences: the corpus gave no tokens");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** One sample per sequence (e.g. one per sentence), each cut to at most {@code maxLength} tokens. */
    public static TokenDataset ofSequences(List<int[]> sequences, int maxLength, int batchSize, long seed) {
        List<TrainingExample> cut = new ArrayList<>();
        for (int[] s : sequences) {
            if (s.length >= 2) cut.add(TrainingExample.of(s.length > maxLength ? Arrays.copyOf(s, maxLength) : s));
        }
        return new TokenDataset(cut, batchSize, seed);
    }

    /** Examples that carry segments, labels or decoder targets (cls, sp, encoder-decoder), each cut to {@code maxLength} tokens. */
    public static TokenDataset ofExamples(List<TrainingExample> examples, int maxLength, int batchSize, long seed) {
        List<TrainingExample> cut = new ArrayList<>();
        for (TrainingExample e : examples) cut.add(e.cut(maxLength));
        return new TokenDataset(cut, batchSize, seed);
    }

    /** A token stream cut into consecutive blocks of {@code blockLength} tokens (the last, shorter one kept if ≥ 2). */
    public static TokenDataset packed(int[] stream, int blockLength, int batchSize, long seed) {
        if (blockLength < 2) throw new IllegalArgumentException("block length must be at least 2, not " + blockLength);
        List<TrainingExample> blocks = new ArrayList<>();
        for (int from = 0; from < stream.length; from += blockLength) {
            int[] b = Arrays.copyOfRange(stream, from, Math.min(stream.length, from + blockLength));
            if (b.length >= 2) blocks.add(TrainingExample.of(b));
        }
        return new TokenDataset(blocks, batchSize, seed);
    }

    public int size() { return examples.size(); }

    public int batchSize() { return batchSize; }

    public List<int[]> sequences() { return examples.stream().map(TrainingExample::tokens).toList(); }

    @Override
    public synchronized TokenBatch batch(long index) {
        List<TrainingExample> rows = new ArrayList<>(batchSize);
        int n = examples.size();
        for (int j = 0; j < batchSize; j++) {
            long k = index * batchSize + j;
            rows.add(examples.get(order(k / n)[(int) (k % n)]));
        }
        return TokenBatch.of(rows, index);
    }

    /** Every sequence once, in stored order, in batches of the dataset's batch size. */
    public List<TokenBatch> evaluationBatches() {
        List<TokenBatch> out = new ArrayList<>();
        for (int from = 0; from < examples.size(); from += batchSize)
            out.add(TokenBatch.of(examples.subList(from, Math.min(examples.size(), from + batchSize)), from / batchSize));
        return out;
    }

    private int[] order(long epoch) {
        if (epoch != cachedEpoch) {
            int[] order = new int[examples.size()];
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
