package org.layerwise.engine.data;

import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.model.TransformerSpec.Activation;
import org.layerwise.engine.model.TransformerSpec.MlpKind;
import org.layerwise.engine.model.TransformerSpec.NormKind;
import org.layerwise.engine.model.TransformerSpec.Residual;
import org.layerwise.engine.model.TransformerSpec.RotaryStyle;

import java.util.List;

/**
 * How one sample fact model is made: its architecture (the gpt2, gptj or llama family, small enough
 * to train on a laptop CPU, deep enough that low and high layers differ) and its training run.
 *
 * @param steps     AdamW updates; each sees {@code batchSize} training sentences
 * @param peakRate  learning rate after {@code warmup} linear warm-up steps, then cosine decay to a tenth
 */
public record FactModelRecipe(String name, String family, TransformerSpec spec, int steps, int batchSize,
                              double peakRate, int warmup, long seed) {

    public static final int LAYERS = 6;
    public static final int D_MODEL = 128;
    public static final int HEADS = 4;
    public static final int MAX_POSITIONS = 64;

    /**
     * The three sample models for a vocabulary of {@code vocabSize} tokens, each trained for 1,500 steps of 64
     * sentences (about 14 epochs of the 7,000-sentence world; each model's card has its numbers).
     */
    public static List<FactModelRecipe> standard(int vocabSize) {
        int headDim = D_MODEL / HEADS;
        TransformerSpec gpt2 = TransformerSpec.builder().modelType("gpt2").vocabSize(vocabSize).dModel(D_MODEL)
                .layers(LAYERS).heads(HEADS).kvHeads(HEADS).headDim(headDim).maxPositions(MAX_POSITIONS)
                .learnedPositions(true).rotary(RotaryStyle.NONE, 0, 10000).norm(NormKind.LAYER, 1e-5)
                .residual(Residual.SEQUENTIAL).qkvBias(true).outBias(true)
                .mlp(MlpKind.DENSE, Activation.GELU_NEW, 4 * D_MODEL, true)
                .finalNorm(true).tiedEmbeddings(true).lmHeadBias(false).build();
        TransformerSpec gptj = TransformerSpec.builder().modelType("gptj").vocabSize(vocabSize).dModel(D_MODEL)
                .layers(LAYERS).heads(HEADS).kvHeads(HEADS).headDim(headDim).maxPositions(MAX_POSITIONS)
                .learnedPositions(false).rotary(RotaryStyle.INTERLEAVED, headDim / 2, 10000).norm(NormKind.LAYER, 1e-5)
                .residual(Residual.PARALLEL).qkvBias(false).outBias(false)
                .mlp(MlpKind.DENSE, Activation.GELU_NEW, 4 * D_MODEL, true)
                .finalNorm(true).tiedEmbeddings(false).lmHeadBias(true).build();
        // LLaMA with grouped-query attention (2 key/value heads) and tied embeddings, as small LLaMAs do
        TransformerSpec llama = TransformerSpec.builder().modelType("llama").vocabSize(vocabSize).dModel(D_MODEL)
                .layers(LAYERS).heads(HEADS).kvHeads(HEADS / 2).headDim(headDim).maxPositions(MAX_POSITIONS)
                .learnedPositions(false).rotary(RotaryStyle.HALF, headDim, 10000).norm(NormKind.RMS, 1e-5)
                .residual(Residual.SEQUENTIAL).qkvBias(false).outBias(false)
                .mlp(MlpKind.GATED, Activation.SILU, 352, false)
                .finalNorm(true).tiedEmbeddings(true).lmHeadBias(false).build();
        return List.of(
                new FactModelRecipe("facts-gpt2", "gpt2", gpt2, 1500, 64, 3e-3, 100, 1),
                new FactModelRecipe("facts-gptj", "gptj", gptj, 1500, 64, 3e-3, 100, 2),
                new FactModelRecipe("facts-llama", "llama", llama, 1500, 64, 3e-3, 100, 3));
    }

    public FactModelRecipe withBatch(int newBatch) {
        return new FactModelRecipe(name, family, spec, steps, newBatch, peakRate, warmup, seed);
    }

    public FactModelRecipe withSteps(int newSteps) {
        return new FactModelRecipe(name, family, spec, newSteps, batchSize, peakRate, Math.min(warmup, newSteps), seed);
    }
}
