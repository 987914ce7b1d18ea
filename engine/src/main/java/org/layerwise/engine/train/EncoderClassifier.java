package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A bidirectional {@link TransformerModel} used as a sentence encoder with one head per task, as C&amp;F puts one
 * head (Linear → tanh → Linear) per task on BERT. The sentence feature is the mean of the final-norm hidden states
 * ({@link Taps#FINAL_NORM}) over the real (non-padding) tokens. Parameters: the encoder's own (prefixed
 * {@code encoder.}) and {@code heads.<t>.dense.weight/bias}, {@code heads.<t>.out.weight/bias}; all trained in
 * place (the model must be float32).
 */
public final class EncoderClassifier implements Classifier {
    private final TransformerModel model;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final int[] classes;
    private final int padId;

    /**
     * @param padId a token id used for padding (masked out, so any id works)
     */
    public EncoderClassifier(TransformerModel model, int[] classes, int padId, long seed) {
        if (model.spec().mask() != TransformerSpec.MaskKind.BIDIRECTIONAL)
            throw new IllegalArgumentException(model.name() + " is causal; an encoder classifier needs a bidirectional model");
        if (model.dataType() != DataType.FLOAT32)
            throw new IllegalArgumentException("training needs float32 weights; load " + model.name() + " with dtype float32");
        this.model = model;
        this.classes = classes.clone();
        this.padId = padId;
        this.manager = model.parameters().values().iterator().next().getManager().newSubManager();
        model.parameters().forEach((k, v) -> params.put("encoder." + k, v));
        int d = model.spec().dModel();
        SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < classes.length; t++) {
            linear("heads." + t + ".dense", d, d, random);
            linear("heads." + t + ".out", d, classes[t], random);
        }
        for (NDArray p : params.values()) p.setRequiresGradient(true);
    }

    private void linear(String name, int in, int out, SplittableRandom random) {
        double bound = 1 / Math.sqrt(in);
        float[] w = new float[in * out], b = new float[out];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-bound, bound);
        for (int i = 0; i < b.length; i++) b[i] = (float) random.nextDouble(-bound, bound);
        params.put(name + ".weight", manager.create(w, new Shape(out, in)).toDevice(model.djlDevice(), false));
        params.put(name + ".bias", manager.create(b, new Shape(out)).toDevice(model.djlDevice(), false));
    }

    public TransformerModel model() { return model; }

    @Override public Map<String, NDArray> parameters() { return Collections.unmodifiableMap(params); }

    @Override public int heads() { return classes.length; }

    @Override public int classes(int head) { return classes[head]; }

    @Override
    public NDArray features(NDManager scope, ClassificationBatch batch) {
        List<int[]> rows = batch.tokens();
        if (rows == null) throw new IllegalArgumentException("an encoder classifies token sequences, not feature vectors");
        int width = 1;
        for (int[] r : rows) width = Math.max(width, Math.min(r.length, model.spec().maxPositions()));
        long[] ids = new long[rows.size() * width];
        float[] mask = new float[rows.size() * width];
        for (int b = 0; b < rows.size(); b++) {
            int[] r = rows.get(b);
            for (int i = 0; i < width; i++) {
                boolean real = i < r.length;
                ids[b * width + i] = real ? r[i] : padId;
                mask[b * width + i] = real ? 1 : 0;
            }
        }
        Shape shape = new Shape(rows.size(), width);
        NDArray idArray = scope.create(ids, shape).toDevice(model.djlDevice(), false);
        NDArray maskArray = scope.create(mask, shape).toDevice(model.djlDevice(), false);
        Taps taps = Taps.create().record(Taps.FINAL_NORM);
        model.forward(scope, idArray, maskArray, taps);
        NDArray hidden = taps.recorded(Taps.FINAL_NORM);                        // [B, T, d]
        NDArray m = maskArray.expandDims(2);
        return hidden.mul(m).sum(new int[]{1}).div(m.sum(new int[]{1}));
    }

    @Override
    public NDArray logits(NDManager scope, ClassificationBatch batch) {
        if (batch.head() < 0 || batch.head() >= classes.length)
            throw new IllegalArgumentException("head " + batch.head() + " does not exist; the classifier has " + classes.length);
        String h = "heads." + batch.head();
        return new SentenceHead(h, params.get(h + ".dense.weight"), params.get(h + ".dense.bias"), params.get(h + ".out.weight"),
                params.get(h + ".out.bias")).logits(features(scope, batch));
    }

    /** Closes the heads; the model stays the caller's. */
    @Override
    public void close() {
        for (NDArray p : model.parameters().values()) {
            try {
                p.setRequiresGradient(false);
            } catch (RuntimeException ignored) {
                // the model was closed first
            }
        }
        manager.close();
    }
}
