package org.layerwise.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.checkpoint.CheckpointException;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the {@link org.layerwise.engine.train.Trainer} needs of a model: its live, named parameters (trained in place),
 * their dtype and device, and a way to save itself as a folder that its own loader opens again. The one transformer
 * ({@link TransformerModel}), the recurrent language model and the encoder-decoder all are trainable models.
 */
public interface TrainableModel extends AutoCloseable {
    /** Display name (the folder name, or the architecture). */
    String name();

    /** Every parameter by name: live arrays that the optimiser updates in place. */
    Map<String, NDArray> parameters();

    DataType dataType();

    Device djlDevice();

    default long parameterCount() {
        long n = 0;
        for (NDArray a : parameters().values()) n += a.getShape().size();
        return n;
    }

    /** Writes the model (config.json, model.safetensors, the tokenizer files) to {@code dir} in one atomic step. */
    void save(Path dir) throws CheckpointException;

    @Override
    void close();
}
