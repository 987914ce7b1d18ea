package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.EncoderDecoderModel;

import java.util.List;

/**
 * Sequence-to-sequence cross entropy, as T5 trains: each target token given the source (the batch's rows) and the
 * target tokens before it. The decoder reads [decoder_start] + target[:-1] (teacher forcing) and predicts target;
 * source and target padding are masked out of attention and of the loss. Float32, summed over the target tokens.
 */
public final class Seq2SeqObjective implements TrainingObjective<TokenBatch> {
    private final EncoderDecoderModel model;

    public Seq2SeqObjective(EncoderDecoderModel model) {
        this.model = model;
    }

    @Override
    public NDArray lossSum(NDManager scope, TokenBatch batch) {
        List<int[]> targets = targets(batch);
        int rows = targets.size(), width = 0;
        for (int[] t : targets) width = Math.max(width, t.length);
        long[] input = new long[rows * width], labels = new long[rows * width], real = new long[rows * width];
        int start = model.spec().decoderStartTokenId();
        for (int b = 0; b < rows; b++) {
            int[] t = targets.get(b);
            for (int i = 0; i < t.length; i++) {
                input[b * width + i] = i == 0 ? start : t[i - 1];
                labels[b * width + i] = t[i];
                real[b * width + i] = 1;
            }
        }
        Shape shape = new Shape(rows, width);
        NDArray decoderMask = scope.create(real, shape);
        NDArray logits = model.forward(scope, batch.ids(scope), batch.mask(scope), scope.create(input, shape), decoderMask);
        NDArray next = scope.create(labels, shape).toDevice(logits.getDevice(), false).expandDims(2);
        NDArray picked = logits.logSoftmax(2).gather(next, 2).squeeze(2);                       // [B, Tt]
        NDArray weights = decoderMask.toDevice(logits.getDevice(), false).toType(DataType.FLOAT32, false);
        return picked.mul(weights).sum().neg();
    }

    private static List<int[]> targets(TokenBatch batch) {
        if (batch.targets() == null)
            throw new IllegalArgumentException("The batch has no target tokens: an encoder-decoder model trains on (source, target) examples");
        return batch.targets();
    }

    /** Target tokens of the batch: each is predicted once. */
    @Override
    public long weight(TokenBatch batch) {
        long n = 0;
        for (int[] t : targets(batch)) n += t.length;
        return n;
    }

    /** Source and target tokens the batch feeds. */
    @Override
    public long tokens(TokenBatch batch) {
        return batch.tokenCount() + weight(batch);
    }
}
