package org.layerwise.probeedit.method.edit;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.TransformerModel;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Optimising requests side by side gives each the target it gets alone (per-request losses, element-wise Adam). */
class BatchedTargetsTest {
    @Test
    void batchedOptimisationMatchesOneAtATime() throws Exception {
        List<EditRequest> reqs = List.of(new EditRequest("a", "The capital of {} is", "France", "Berlin", "Paris"),
                new EditRequest("b", "{} is a citizen of", "Alfred Nobel", "Netherlands", "Sweden"),
                new EditRequest("c", "The official language of {} is", "Japan", "Korean", "Japanese"));
        EditHparams hp = EditHparams.preset("jeep-facts-llama").with("v_num_grad_steps", "4");
        try (TransformerModel model = FactsModel.load(); NDManager m = NDManager.newBaseManager()) {
            List<TargetOptimization.Offset> offsets = List.of(
                    new TargetOptimization.Offset("blocks.0.mlp_out", KeyValues.Site.SUBJECT_LAST, false, 0.5, 1),
                    new TargetOptimization.Offset("blocks.4.attn_out", KeyValues.Site.PREDICTION, true, 0.5, 0.25));
            List<TargetOptimization.Result> together = TargetOptimization.optimiseAll(m, model, reqs, hp, List.of(""), offsets, null, () -> false);
            for (int i = 0; i < reqs.size(); i++) {
                TargetOptimization.Result alone = TargetOptimization.optimise(m, model, reqs.get(i), hp, List.of(""), offsets, null, () -> false);
                for (int k = 0; k < offsets.size(); k++) {
                    double diff = together.get(i).targets()[k].sub(alone.targets()[k]).abs().max().getFloat();
                    double scale = alone.targets()[k].abs().max().getFloat();
                    assertThat(diff).as("request " + i + " offset " + k).isLessThan(1e-3 * scale + 1e-4);
                }
                assertThat(together.get(i).nll()).isCloseTo(alone.nll(), org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }
}
