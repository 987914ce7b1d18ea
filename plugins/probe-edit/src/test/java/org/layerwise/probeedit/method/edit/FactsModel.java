package org.layerwise.probeedit.method.edit;

import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.probeedit.method.covariance.CovarianceStats;

import java.nio.file.Files;
import java.nio.file.Path;

/** The sample fact model (float32) and key statistics over the first lines of the fact world's corpus. */
public final class FactsModel {
    /** The whole fact-world corpus (4,050 lines), as the presets were derived with. */
    public static final int CORPUS_LINES = 100_000;

    /** Statistics cached across test runs under target/ (computing them is what the cache is for). */
    public static Path cachedDataDir() {
        return repo().resolve("plugins/probe-edit/target/test-data");
    }

    private FactsModel() {}

    public static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-data/models/facts-llama"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("sample-data/models/facts-llama not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static TransformerModel load() throws Exception {
        return TransformerModel.load(repo().resolve("sample-data/models/facts-llama"), LoadOptions.of("cpu", "float32"));
    }

    public static CovarianceStats statistics(TransformerModel model, Path dataDir, int... layers) throws Exception {
        CovarianceStats cov = new CovarianceStats(dataDir, model);
        cov.compute(model, repo().resolve("sample-data/world/train.txt"), layers, CORPUS_LINES, (f, m) -> {}, () -> false);
        return cov;
    }
}
