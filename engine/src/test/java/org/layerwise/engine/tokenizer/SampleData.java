package org.layerwise.engine.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's sample-data folder, found from the module's working directory. */
public final class SampleData {
    private SampleData() {
    }

    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("sample-data/tokenizers"))) {
                return p.resolve("sample-data");
            }
        }
        throw new IllegalStateException("no sample-data/ above " + Path.of("").toAbsolutePath());
    }

    public static Path gpt2Tokenizer() {
        return root().resolve("tokenizers/gpt2/tokenizer.json");
    }
}
