package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The encoder classifier pools real tokens only, and only the batch's head receives a gradient. */
class EncoderClassifierTest {
    @Test
    void paddingIsInvisibleAndGradientsReachTheEncoderAndOneHead() {
        TransformerSpec spec = TinyTraining.spec().toBuilder().modelType("layerwise").mask(TransformerSpec.MaskKind.BIDIRECTIONAL).build();
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel model = TransformerModel.create(spec, RandomWeights.create(spec, m, 5, 0.1f), null,
                     new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null, null);
             EncoderClassifier c = new EncoderClassifier(model, new int[]{3, 2}, 0, 1)) {
            int[] shortRow = {3, 4, 5}, longRow = {1, 2, 3, 4, 5, 6, 7};
            float[] alone, padded;
            try (GradMode off = GradMode.off(); NDManager s = m.newSubManager()) {
                alone = c.logits(s, ClassificationBatch.ofTokens(0, List.of(shortRow), new int[]{1})).toFloatArray();
                padded = c.logits(s, ClassificationBatch.ofTokens(0, List.of(longRow, shortRow), new int[]{0, 1})).get(1).toFloatArray();
            }
            assertThat(alone).hasSize(3);
            for (int i = 0; i < 3; i++) assertThat((double) padded[i]).isCloseTo(alone[i], within(1e-5));

            ClassificationBatch batch = ClassificationBatch.ofTokens(0, List.of(longRow, shortRow), new int[]{0, 2});
            Map<String, NDArray> g = ParameterSpace.gradient(c.parameters(), c.meanLoss(batch), m);
            assertThat(g.keySet()).anyMatch(k -> k.startsWith("encoder.")).contains("heads.0.dense.weight", "heads.1.out.bias");
            double encoder = 0, head0 = 0, head1 = 0;
            for (Map.Entry<String, NDArray> e : g.entrySet()) {
                double n = e.getValue().abs().sum().getFloat();
                if (e.getKey().startsWith("encoder.")) encoder += n;
                else if (e.getKey().startsWith("heads.0.")) head0 += n;
                else head1 += n;
            }
            assertThat(encoder).isPositive();
            assertThat(head0).isPositive();
            assertThat(head1).isZero();
        }
    }
}
