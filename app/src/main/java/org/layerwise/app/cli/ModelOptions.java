package org.layerwise.app.cli;

import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.model.InsufficientMemoryException;
import org.layerwise.engine.model.TransformerModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --model DIR [--device] [--dtype]}: the options every command that runs a model shares (a picocli mixin). */
public final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A Hugging Face model folder (config.json, model.safetensors, tokenizer.json).")
    Path model;

    @Mixin
    DeviceOptions device;

    public TransformerModel load() throws CheckpointException, InsufficientMemoryException {
        return TransformerModel.load(model, device.loadOptions());
    }
}
