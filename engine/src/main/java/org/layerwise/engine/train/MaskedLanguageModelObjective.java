package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.TokenModel;

import java.util.SplittableRandom;

/**
 * Masked language modelling (BERT) for a bidirectional {@link TokenModel}: a fraction of the real tokens
 * is chosen; of those 80% become the mask token, 10% a random token, 10% stay; the loss is the cross entropy
 * of the original token at each chosen position, in float32. The choice is drawn from
 * {@code SplittableRandom(seed, batch index)}, so it differs between epochs but not between reruns.
 *
 * <p>When the model is a {@link WithTargetHeads} carrying an {@link MlmHead} (BERT's and TencentPretrain's transform:
 * dense, activation, LayerNorm, then the tied output layer plus a bias), the tokens are predicted through that head
 * (its {@link WithTargetHeads#logits}); otherwise straight through the model's LM head.
 */
public final class MaskedLanguageModelObjective implements TrainingObjective<TokenBatch> {
    private final TokenModel model;
    private final int maskTokenId;
    private final double fraction;
    private final long seed;
    private final java.util.Set<Integer> spared;

    public MaskedLanguageModelObjective(TokenModel model, int maskTokenId, double fraction, long seed) {
        this(model, maskTokenId, fraction, seed, java.util.Set.of());
    }

    /**
     * @param spared token ids never chosen (BERT spares [CLS] and [SEP]: they are the same in every pair and carry
     *               the sentence-level targets)
     */
    public MaskedLanguageModelObjective(TokenModel model, int maskTokenId, double fraction, long seed, java.util.Set<Integer> spared) {
        if (!model.bidirectional())
            throw new IllegalArgumentException("Masked language modelling needs a bidirectional model; " + model.name()
                    + " is causal (it would see no tokens after a mask)");
        if (maskTokenId < 0 || maskTokenId >= model.vocabSize())
            throw new IllegalArgumentException("mask token id " + maskTokenId + " is outside the vocabulary of " + model.vocabSize());
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("masking fraction must be in (0, 1), not " + fraction);
        this.model = model;
        this.maskTokenId = maskTokenId;
        this.fraction = fraction;
        this.seed = seed;
        this.spared = java.util.Set.copyOf(spared);
    }

    /** Input ids after masking, and the chosen positions (1) per row, padded to the batch width. */
    record Masking(long[] input, float[] chosen, long count) {}

    Masking masking(TokenBatch batch) {
        int w = batch.width();
        int rows = batch.rows().size();
        long[] input = new long[rows * w];
        float[] chosen = new float[rows * w];
        long count = 0;
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + batch.index());
        int vocab = model.vocabSize();
        for (int b = 0; b < rows; b++) {
            int[] r = batch.rows().get(b);
            boolean any = false;
            for (int i = 0; i < r.length; i++) {
                input[b * w + i] = r[i];
                if (random.nextDouble() < fraction && !spared.contains(r[i])) {
                    choose(input, chosen, b * w + i, random, vocab);
                    any = true;
                    count++;
                }
            }
            if (!any && r.length > 0) {                 // every row teaches something
                choose(input, chosen, b * w + random.nextInt(r.length), random, vocab);
                count++;
            }
        }
        return new Masking(input, chosen, count);
    }

    private void choose(long[] input, float[] chosen, int at, SplittableRandom random, int vocab) {
        chosen[at] = 1;
        double u = random.nextDouble();
        if (u < 0.8) input[at] = maskTokenId;
        else if (u < 0.9) input[at] = random.nextInt(vocab);
    }

    @Override
    public NDArray lossSum(NDManager scope, TokenBatch batch) {
        Masking mk = masking(batch);
        TokenBatch.Inputs in = batch.inputs(scope, model.djlDevice());
        NDArray hidden = model.hidden(scope, onDevice(scope, batch, mk.input()), in.mask(), in.segments());
        return sumFromHidden(scope, hidden, in.ids(), onDevice(scope, batch, mk.chosen()));
    }

    /** A masking's input ids (int64) or chosen positions (float32) as [B, T] on the model's device. */
    NDArray onDevice(NDManager scope, TokenBatch batch, long[] values) {
        return scope.create(values, new Shape(batch.rows().size(), batch.width())).toDevice(model.djlDevice(), false);
    }

    NDArray onDevice(NDManager scope, TokenBatch batch, float[] values) {
        return scope.create(values, new Shape(batch.rows().size(), batch.width())).toDevice(model.djlDevice(), false);
    }

    /** The summed loss at the chosen positions from hidden states [B, T, d] of the masked input. */
    NDArray sumFromHidden(NDManager scope, NDArray hidden, NDArray original, NDArray chosen) {
        NDArray logp = model.logits(scope, hidden).logSoftmax(2);
        NDArray picked = logp.gather(original.expandDims(2), 2).squeeze(2);
        return picked.mul(chosen).sum().neg();
    }

    /** Whether the tokens are predicted through an {@link MlmHead}. */
    public boolean hasHead() { return model instanceof WithTargetHeads w && w.mlmHead() != null; }

    @Override
    public long weight(TokenBatch batch) { return masking(batch).count(); }

    @Override
    public long tokens(TokenBatch batch) { return batch.tokenCount(); }
}
