package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random float32 weights for a spec, named as its checkpoints name them (so {@link TransformerModel#create}
 * and a saved file agree): for tests, benchmarks and as a starting point for training. Matrices, biases and
 * embeddings are N(0, std²); norm weights are 1 + N(0, std²) so that norms are exercised too.
 */
public final class RandomWeights {
    private RandomWeights() {}

    /**
     * @param seed seeds the engine's random generator (DJL's engine-wide seed), so the weights are reproducible
     */
    public static Map<String, NDArray> create(TransformerSpec spec, NDManager manager, long seed, float std) {
        manager.getEngine().setRandomSeed((int) seed);
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> layout = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : WeightLayout.shapes(spec).entrySet()) {
                NDArray a = tmp.randomNormal(0f, std, e.getValue(), DataType.FLOAT32);
                boolean normWeight = WeightLayout.isNormParameter(e.getKey()) && e.getKey().endsWith(".weight");
                layout.put(e.getKey(), normWeight ? a.add(1f) : a);
            }
            return new LinkedHashMap<>(WeightNaming.of(spec, null).write(layout, manager, DataType.FLOAT32));
        }
    }
}
