package org.layerwise.probeedit.method.probe;

import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's sample models, found from the module folder tests run in. */
final class SampleModels {
    private SampleModels() {}

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-data"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("sample-data not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    static Path factsLlama() { return repoRoot().resolve("sample-data/models/facts-llama"); }

    static TransformerModel load(Path dir) throws Exception {
        return TransformerModel.load(dir, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
    }
}
