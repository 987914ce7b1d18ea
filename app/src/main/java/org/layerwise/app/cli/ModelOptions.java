package org.layerwise.app.cli;

import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.model.InsufficientMemoryException;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --model DIR [--device] [--dtype]}: the options every command that runs a model shares (a picocli mixin). */
public final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A Hugging Face model folder (config.json, model.safetensors, tokenizer.json).")
    Path model;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "cpu, gpu or auto (default: ${DEFAULT-VALUE}: the GPU when DJL sees one).")
    String device;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "keep",
            description = "keep, float32, float16 or bfloat16 (default: ${DEFAULT-VALUE}: the stored type; "
                    + "bfloat16 weights are held as float16, DJL 0.36 cannot hold bfloat16).")
    String dtype;

    public LoadOptions loadOptions() {
        return LoadOptions.of(device, dtype);
    }

    public TransformerModel load() throws CheckpointException, InsufficientMemoryException {
        return TransformerModel.load(model, loadOptions());
    }
}
