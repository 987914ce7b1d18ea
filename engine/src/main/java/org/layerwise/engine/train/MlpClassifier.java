package org.layerwise.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A multilayer perceptron body (Linear → ReLU, repeated) with one linear head per task, initialised like
 * torch.nn.Linear (weights and biases uniform in ±1/√fan_in) from a seed. Parameters: {@code body.<l>.weight}
 * [out, in], {@code body.<l>.bias}, {@code heads.<t>.weight}, {@code heads.<t>.bias}.
 */
public final class MlpClassifier implements Classifier {
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final int layers;
    private final int[] classes;
    private final int inputDim;

    /**
     * @param hidden widths of the hidden layers (may be empty: a linear model)
     * @param classes classes per head (one head per task)
     */
    public MlpClassifier(int inputDim, int[] hidden, int[] classes, long seed, Device device) {
        if (classes.length == 0) throw new IllegalArgumentException("a classifier needs at least one head");
        this.manager = NDManager.newBaseManager(device);
        this.inputDim = inputDim;
        this.layers = hidden.length;
        this.classes = classes.clone();
        SplittableRandom random = new SplittableRandom(seed);
        int in = inputDim;
        for (int l = 0; l < hidden.length; l++) {
            linear("body." + l, in, hidden[l], random);
            in = hidden[l];
        }
        for (int t = 0; t < classes.length; t++) linear("heads." + t, in, classes[t], random);
        for (NDArray p : params.values()) p.setRequiresGradient(true);
    }

    private void linear(String name, int in, int out, SplittableRandom random) {
        double bound = 1 / Math.sqrt(in);
        float[] w = new float[in * out], b = new float[out];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-bound, bound);
        for (int i = 0; i < b.length; i++) b[i] = (float) random.nextDouble(-bound, bound);
        params.put(name + ".weight", manager.create(w, new Shape(out, in)));
        params.put(name + ".bias", manager.create(b, new Shape(out)));
    }

    public int inputDim() { return inputDim; }

    @Override public Map<String, NDArray> parameters() { return Collections.unmodifiableMap(params); }

    @Override public int heads() { return classes.length; }

    @Override public int classes(int head) { return classes[head]; }

    @Override
    public NDArray features(NDManager scope, ClassificationBatch batch) {
        if (batch.vectors() == null) throw new IllegalArgumentException("an MLP classifies feature vectors, not token sequences");
        if (batch.dim() != inputDim)
            throw new IllegalArgumentException("the batch has " + batch.dim() + " features per row but the MLP expects " + inputDim);
        NDArray h = scope.create(batch.vectors(), new Shape(batch.size(), inputDim)).toDevice(manager.getDevice(), false);
        for (int l = 0; l < layers; l++) h = affine(h, "body." + l).clip(0, Float.MAX_VALUE);
        return h;
    }

    @Override
    public NDArray logits(NDManager scope, ClassificationBatch batch) {
        if (batch.head() < 0 || batch.head() >= classes.length)
            throw new IllegalArgumentException("head " + batch.head() + " does not exist; the classifier has " + classes.length);
        return affine(features(scope, batch), "heads." + batch.head());
    }

    /** x·Wᵀ + b; the result attaches to x's manager (the caller's scope). */
    private NDArray affine(NDArray x, String name) {
        return x.matMul(params.get(name + ".weight").transpose()).add(params.get(name + ".bias"));
    }

    /** Names of the head parameters of task {@code t}. */
    public static List<String> headNames(int t) {
        List<String> out = new ArrayList<>();
        out.add("heads." + t + ".weight");
        out.add("heads." + t + ".bias");
        return out;
    }

    @Override public void close() { manager.close(); }
}
