package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Random;

/**
 * Picks the next token from float32 logits [V]: greedy at temperature 0, otherwise a draw from the
 * temperature-scaled distribution restricted to the top-k tokens and then to the smallest set whose
 * probability reaches top-p (renormalised after each filter, as Hugging Face's warpers do). The uniform
 * number comes from a java.util.Random seeded once per generation, so a seed reproduces a generation.
 */
final class Sampler {
    private final double temperature;
    private final int topK;
    private final double topP;
    private final Random random;

    Sampler(double temperature, int topK, double topP, long seed) {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("topK must be ≥ 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new Random(seed);
    }

    int next(NDArray logits) {
        if (temperature == 0) return (int) logits.argMax().getLong();
        long vocab = logits.getShape().get(0);
        NDArray order = logits.argSort(0, false);                                  // most likely first
        NDArray probs = logits.div((float) temperature).gather(order, 0).softmax(0);
        if (topK > 0 && topK < vocab) {
            NDArray keep = probs.getManager().arange(0, (int) vocab, 1, DataType.INT64).lt(topK).toType(DataType.FLOAT32, false);
            probs = renormalise(probs.mul(keep));
        }
        if (topP < 1) {
            NDArray before = probs.cumSum(0).sub(probs);                            // mass of more likely tokens
            probs = renormalise(probs.mul(before.lt((float) topP).toType(DataType.FLOAT32, false)));
        }
        NDArray cumulative = probs.cumSum(0);
        float u = (float) (random.nextDouble() * cumulative.get(vocab - 1).getFloat());
        long index = Math.min(cumulative.lt(u).sum().getLong(), vocab - 1);
        return (int) order.getLong(index);
    }

    private static NDArray renormalise(NDArray p) {
        return p.div(p.sum());
    }
}
