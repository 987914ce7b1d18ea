package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Scalars;

import java.util.Map;

/**
 * A differentiable multi-head classifier: a shared body and one linear head per task (task-incremental
 * continual learning; one head over all classes for class-incremental). Its named float32 parameters are
 * live NDArrays, so the optimisers, {@link SharpnessAwareStep}, {@link QuadraticPenalty}, {@link BoxClamp},
 * {@link DiagonalFisher} and the curvature and landscape tools all work on it.
 */
public interface Classifier extends AutoCloseable {
    /** Live parameters by name, torch layout (matrices [out, in]); heads are named {@code heads.<t>.…}. */
    Map<String, NDArray> parameters();

    int heads();

    /** Number of classes of head {@code head}. */
    int classes(int head);

    /** Logits [size, classes(head)] in {@code scope}, recorded by autograd when it is on. */
    NDArray logits(NDManager scope, ClassificationBatch batch);

    /** The body's output [size, features] (the input of the heads), e.g. for k-means replay selection. */
    NDArray features(NDManager scope, ClassificationBatch batch);

    /** Summed cross entropy −Σ log p(y|x) of the batch, a float32 scalar in {@code scope}. */
    default NDArray lossSum(NDManager scope, ClassificationBatch batch) {
        NDArray logp = logits(scope, batch).logSoftmax(1);
        NDArray labels = scope.create(batch.labels()).toType(DataType.INT64, false).toDevice(logp.getDevice(), false);
        return logp.gather(labels.expandDims(1), 1).sum().neg();
    }

    /** Mean cross entropy of the batch as a {@link ParameterLoss}. */
    default ParameterLoss meanLoss(ClassificationBatch batch) {
        // Scalars, not div(Number): backward reads the divisor, and DJL frees a Number operand when the op returns
        return scope -> Scalars.over(lossSum(scope, batch), batch.size());
    }

    /** Predicted class per row (no gradient). */
    default int[] predict(ClassificationBatch batch) {
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            NDArray arg = logits(scope, batch).argMax(1).toType(DataType.INT32, false);
            return arg.toIntArray();
        }
    }

    @Override
    void close();
}
