package org.layerwise.modelselect.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.Encoding;
import org.layerwise.engine.train.TrainingObjective;

import java.util.ArrayList;
import java.util.List;

/**
 * Fine-tuning a causal language model as a classifier: cross entropy of the label word's tokens after the
 * prompt only (the prompt's own tokens are context, not targets), so training maximises exactly the
 * log-likelihood that {@link TransformerModel#scoreContinuations} compares at evaluation.
 */
public final class LabelWordObjective implements TrainingObjective<LabelWordObjective.Batch> {
    /** Token rows and, per row, the first position whose token is scored (the label word's first token). */
    public record Batch(List<int[]> rows, int[] firstScored) {
        int width() { return rows.stream().mapToInt(r -> r.length).max().orElse(0); }
    }

    private final TransformerModel model;

    public LabelWordObjective(TransformerModel model) {
        this.model = model;
    }

    /** Tokenises prompt + label word together, as scoring does, and marks the tokens that end after the prompt. */
    public static Batch batch(TransformerModel model, List<LabelledData.Item> items, LabelledData data) {
        List<int[]> rows = new ArrayList<>();
        int[] first = new int[items.size()];
        for (int r = 0; r < items.size(); r++) {
            LabelledData.Item it = items.get(r);
            Encoding e = model.encode(it.text() + data.continuation(it.label()));
            int f = e.ids().length;
            for (int i = 0; i < e.ids().length; i++) if (e.charEnds()[i] > it.text().length()) { f = i; break; }
            if (f >= e.ids().length)
                throw new IllegalArgumentException("The label word of '" + it.text() + "' gave no token of its own");
            rows.add(e.ids());
            first[r] = Math.max(f, 1);
        }
        return new Batch(rows, first);
    }

    @Override
    public NDArray lossSum(NDManager scope, Batch b) {
        int w = b.width(), n = b.rows().size();
        long[] ids = new long[n * w], mask = new long[n * w];
        float[] scored = new float[n * (w - 1)];
        for (int r = 0; r < n; r++) {
            int[] row = b.rows().get(r);
            for (int i = 0; i < row.length; i++) {
                ids[r * w + i] = row[i];
                mask[r * w + i] = 1;
                if (i >= b.firstScored()[r]) scored[r * (w - 1) + i - 1] = 1;    // token i is predicted at position i-1
            }
        }
        NDArray idArr = scope.create(ids, new Shape(n, w)).toDevice(model.djlDevice(), false);
        NDArray maskArr = scope.create(mask, new Shape(n, w)).toDevice(model.djlDevice(), false);
        NDArray logits = model.forward(scope, idArr, maskArr, Taps.none());
        NDArray logp = logits.get(":, :-1, :").logSoftmax(2);
        NDArray picked = logp.gather(idArr.get(":, 1:").expandDims(2), 2).squeeze(2);
        NDArray weight = scope.create(scored, new Shape(n, w - 1)).toDevice(model.djlDevice(), false).toType(DataType.FLOAT32, false);
        return picked.mul(weight).sum().neg();
    }

    @Override
    public long weight(Batch b) {
        long n = 0;
        for (int r = 0; r < b.rows().size(); r++) n += b.rows().get(r).length - b.firstScored()[r];
        return n;
    }

    @Override
    public long tokens(Batch b) {
        return b.rows().stream().mapToLong(r -> r.length).sum();
    }
}
