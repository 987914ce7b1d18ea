package org.layerwise.app.cli;

import org.layerwise.engine.model.LoadOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What the GUI takes on start: a model folder to load, and the device and dtype models load with. */
public final class GuiOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "A Hugging Face model folder to load on start (default: the first sample model).")
    Path model;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "cpu, gpu or auto (default: ${DEFAULT-VALUE}: the GPU when DJL sees one).")
    String device;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "keep",
            description = "keep, float32, float16 or bfloat16 (default: ${DEFAULT-VALUE}: the stored type).")
    String dtype;

    /** Throws IllegalArgumentException naming the option when a word is not allowed. */
    public LoadOptions loadOptions() {
        return LoadOptions.of(device, dtype);
    }

    public Path model() {
        return model;
    }
}
