package org.layerwise.app.cli;

import org.layerwise.engine.model.LoadOptions;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --dtype}: how models load, for every command that loads one (a picocli mixin). */
public final class DeviceOptions {
    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "cpu, gpu or auto (default: ${DEFAULT-VALUE}: the GPU when DJL sees one).")
    String device;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "keep",
            description = "keep, float32, float16 or bfloat16 (default: ${DEFAULT-VALUE}: the stored type; "
                    + "bfloat16 weights are held as float16, DJL 0.36 cannot hold bfloat16).")
    String dtype;

    /** Throws IllegalArgumentException naming the option when a word is not allowed. */
    public LoadOptions loadOptions() {
        return LoadOptions.of(device, dtype);
    }
}
