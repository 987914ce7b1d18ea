package org.layerwise.app.shell;

import org.layerwise.engine.model.LoadOptions;
import org.layerwise.sdk.plugin.PluginLoadResult;

import java.nio.file.Path;
import java.util.List;

/**
 * What the command line hands to the GUI: the data folder, a model folder to load on start (or null), how
 * models load (device, dtype), and the plugins already discovered for the CLI (the GUI reuses them).
 */
public record ShellLaunch(Path dataDir, Path modelFolder, LoadOptions loadOptions, List<PluginLoadResult> plugins) {
    public ShellLaunch {
        plugins = List.copyOf(plugins);
        if (loadOptions == null) loadOptions = LoadOptions.defaults();
    }
}
