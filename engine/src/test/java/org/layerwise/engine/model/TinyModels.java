package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/** Small random models of each family for fast tests. */
final class TinyModels {
    static final int VOCAB = 40;

    private TinyModels() {}

    static TransformerSpec llama(int heads, int kvHeads) {
        return TransformerSpec.builder().modelType("llama").vocabSize(VOCAB).dModel(32).layers(2)
                .heads(heads).kvHeads(kvHeads).headDim(8).maxPositions(64)
                .rotary(TransformerSpec.RotaryStyle.HALF, 8, 10000).norm(TransformerSpec.NormKind.RMS, 1e-5)
                .mlp(TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.SILU, 48, false).build();
    }

    static TransformerSpec gpt2() {
        return TransformerSpec.builder().modelType("gpt2").vocabSize(VOCAB).dModel(32).layers(2).heads(4)
                .maxPositions(64).learnedPositions(true).rotary(TransformerSpec.RotaryStyle.NONE, 0, 0)
                .norm(TransformerSpec.NormKind.LAYER, 1e-5).qkvBias(true).outBias(true)
                .mlp(TransformerSpec.MlpKind.DENSE, TransformerSpec.Activation.GELU_NEW, 64, true)
                .tiedEmbeddings(true).build();
    }

    static TransformerSpec gptj() {
        return TransformerSpec.builder().modelType("gptj").vocabSize(VOCAB).dModel(32).layers(2).heads(4)
                .maxPositions(64).rotary(TransformerSpec.RotaryStyle.INTERLEAVED, 4, 10000)
                .norm(TransformerSpec.NormKind.LAYER, 1e-5).residual(TransformerSpec.Residual.PARALLEL)
                .mlp(TransformerSpec.MlpKind.DENSE, TransformerSpec.Activation.GELU_NEW, 64, true)
                .lmHeadBias(true).build();
    }

    static TransformerModel create(TransformerSpec spec, NDManager m, long seed) {
        return create(spec, RandomWeights.create(spec, m, seed, 0.3f), LoadOptions.DtypeChoice.FLOAT32, null);
    }

    static TransformerModel create(TransformerSpec spec, Map<String, NDArray> weights, LoadOptions.DtypeChoice dtype, JsonNode config) {
        return TransformerModel.create(spec, weights, new WordTokenizer(spec.vocabSize()),
                new LoadOptions(LoadOptions.DeviceChoice.CPU, dtype), config, null);
    }
}
