package org.layerwise.rationale.method;

import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.model.TransformerSpec.Activation;
import org.layerwise.engine.model.TransformerSpec.MlpKind;
import org.layerwise.engine.model.TransformerSpec.NormKind;
import org.layerwise.engine.model.TransformerSpec.Residual;
import org.layerwise.engine.model.TransformerSpec.RotaryStyle;

import java.util.List;

/**
 * One of the three sample NLU decoders (llama preset: RMS norm, rotary positions, gated SiLU MLP, tied embeddings)
 * and its base training run: both views of every training item (direct → label and CoT → rationale), so the
 * model can be prompted in either mode before any method-specific fine-tuning.
 */
public record NluModelRecipe(String name, TransformerSpec spec, int steps, int batchSize, double peakRate, int warmup, long seed) {
    public static final int MAX_POSITIONS = 128;

    public static TransformerSpec spec(int vocab, int d, int layers, int heads) {
        int headDim = d / heads;
        return TransformerSpec.builder().modelType("llama").vocabSize(vocab).dModel(d).layers(layers).heads(heads)
                .kvHeads(heads).headDim(headDim).maxPositions(MAX_POSITIONS).learnedPositions(false)
                .rotary(RotaryStyle.HALF, headDim, 10000).norm(NormKind.RMS, 1e-5).residual(Residual.SEQUENTIAL)
                .qkvBias(false).outBias(false).mlp(MlpKind.GATED, Activation.SILU, 8 * d / 3 / 8 * 8, false)
                .finalNorm(true).tiedEmbeddings(true).lmHeadBias(false).build();
    }

    /** nlu-small (d=32, 2 layers), nlu-medium (d=64, 3 layers), nlu-large (d=128, 4 layers): sized for a shared CPU. */
    public static List<NluModelRecipe> standard(int vocab) {
        return List.of(
                new NluModelRecipe("nlu-small", spec(vocab, 32, 2, 2), 500, 16, 3e-3, 30, 11),
                new NluModelRecipe("nlu-medium", spec(vocab, 64, 3, 4), 500, 16, 2.5e-3, 30, 12),
                new NluModelRecipe("nlu-large", spec(vocab, 128, 4, 4), 500, 16, 1e-3, 30, 13));
    }

    public NluModelRecipe withSteps(int s) {
        return new NluModelRecipe(name, spec, s, batchSize, peakRate, Math.min(warmup, s), seed);
    }
}
