package org.layerwise.app.cli;

import org.layerwise.engine.model.LoadOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What the GUI takes on start: a model folder to load, and the device and dtype models load with. */
public final class GuiOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "A Hugging Face model folder to load on start (default: the sample fact model facts-llama).")
    Path model;

    @Mixin
    DeviceOptions device;

    public LoadOptions loadOptions() {
        return device.loadOptions();
    }

    public Path model() {
        return model;
    }
}
