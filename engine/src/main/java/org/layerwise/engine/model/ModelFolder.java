package org.layerwise.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.checkpoint.Checkpoint;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Writes a model as a Hugging Face-style folder in one atomic step: model.safetensors, config.json, and the other
 * files of the folder the model came from (tokenizer.json, generation_config.json, the builder's config, ...). The
 * folder is built aside and moved into place, so {@code dir} may be the folder the model was loaded from.
 */
final class ModelFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the weights file it is given. */
    interface Weights {
        void write(Path file) throws CheckpointException;
    }

    private ModelFolder() {}

    /** The model_type that {@code dir}'s config.json names, or "" when there is none (a cheap look before choosing a loader). */
    static String modelType(Path dir) {
        Path config = dir.resolve(Checkpoint.CONFIG_FILE);
        if (!Files.isRegularFile(config)) return "";
        try {
            return JSON.readTree(config.toFile()).path("model_type").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * @param name   the model's name, for the message
     * @param source the folder the model came from, or null
     */
    static void save(String name, Path dir, Weights weights, JsonNode config, Path source) throws CheckpointException {
        try {
            AtomicFiles.writeDirectory(dir, out -> {
                try {
                    weights.write(out.resolve(Checkpoint.WEIGHTS_FILE));
                } catch (CheckpointException e) {
                    throw new Failure(e);
                }
                Files.write(out.resolve(Checkpoint.CONFIG_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
                if (source != null && Files.isDirectory(source)) copyOthers(source, out);
            });
        } catch (Failure e) {
            throw e.cause;
        } catch (IOException e) {
            throw new CheckpointException("could not save " + name + " to " + dir + " (" + e.getMessage()
                    + "); check that the folder is writable and the disk has room", e);
        }
    }

    private static void copyOthers(Path source, Path out) throws IOException {
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                boolean weights = n.endsWith(".safetensors") || n.equals(Checkpoint.INDEX_FILE) || n.equals(Checkpoint.CONFIG_FILE);
                if (!weights && !n.startsWith(".") && Files.isRegularFile(f)) Files.copy(f, out.resolve(n));
            }
        }
    }

    /** Carries a writer failure through AtomicFiles' IOException-only callback. */
    private static final class Failure extends IOException {
        final CheckpointException cause;

        Failure(CheckpointException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }
}
