package org.layerwise.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The model folders shipped under {@code sample-data/models} (a folder counts when it has config.json). */
public final class SampleModels {
    private SampleModels() {}

    /** The install root: {@code -Dlayerwise.install} (set by ./layerwise), else the working directory. */
    public static Path installRoot() {
        String home = System.getProperty("layerwise.install");
        return Path.of(home != null ? home : "").toAbsolutePath();
    }

    public static List<Path> under(Path installRoot) {
        Path models = installRoot.resolve("sample-data").resolve("models");
        if (!Files.isDirectory(models)) return List.of();
        try (Stream<Path> s = Files.list(models)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public static Optional<Path> first(Path installRoot) {
        return under(installRoot).stream().findFirst();
    }
}
