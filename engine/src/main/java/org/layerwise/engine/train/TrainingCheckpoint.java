package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.SafetensorsFile;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.InsufficientMemoryException;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TrainableModel;
import org.layerwise.engine.model.TransformerModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint folder, written in one atomic step (a crash or a cancel mid-write leaves the
 * previous checkpoint whole):
 * <pre>
 * model/                   the model as a Hugging Face folder ({@link TransformerModel#save})
 * optimizer.safetensors    the optimiser's state (moments or momentum buffers), float32
 * trainer.json             {"step", "optimizer", "updates", "seed", "loss"}
 * </pre>
 * No random-generator state is needed: batches are a function of the seed and the step ({@link BatchSource}).
 */
public final class TrainingCheckpoint {
    public static final String MODEL_DIR = "model";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String STATE_FILE = "trainer.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What trainer.json holds. */
    public record State(long step, String optimizer, long updates, long seed, double loss) {}

    private TrainingCheckpoint() {}

    /** Writes the checkpoint to {@code dir}, replacing what was there only once everything is written. */
    public static void write(Path dir, TrainableModel model, Optimizer optimizer, State state) throws IOException {
        AtomicFiles.writeDirectory(dir, out -> {
            try {
                model.save(out.resolve(MODEL_DIR));
            } catch (CheckpointException e) {
                throw new IOException("could not save the model into the checkpoint " + dir + ": " + e.getMessage(), e);
            }
            Map<String, NDArray> optimizerState = optimizer.state();
            if (!optimizerState.isEmpty()) {
                try {
                    SafetensorsWriter.write(out.resolve(OPTIMIZER_FILE), optimizerState, Map.of("optimizer", optimizer.name()));
                } catch (CheckpointException e) {
                    throw new IOException("could not write the optimiser state of " + dir + ": " + e.getMessage(), e);
                }
            }
            ObjectNode json = JSON.createObjectNode();
            json.put("step", state.step());
            json.put("optimizer", state.optimizer());
            json.put("updates", state.updates());
            json.put("seed", state.seed());
            json.put("loss", state.loss());
            Files.write(out.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        });
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(STATE_FILE)) && Files.isDirectory(dir.resolve(MODEL_DIR));
    }

    public static State readState(Path dir) throws IOException {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file))
            throw new IOException(file + " is missing: " + dir + " is not a training checkpoint (or it was never completed)");
        JsonNode json = JSON.readTree(file.toFile());
        for (String key : new String[] {"step", "optimizer", "updates", "seed"})
            if (!json.has(key)) throw new IOException(file + " has no \"" + key + "\"; the checkpoint is damaged");
        return new State(json.get("step").asLong(), json.get("optimizer").asText(), json.get("updates").asLong(),
                json.get("seed").asLong(), json.path("loss").asDouble(Double.NaN));
    }

    /** The folder holding the checkpoint's model (for models other than the transformer, opened by their own loader). */
    public static Path modelDirectory(Path dir) {
        return dir.resolve(MODEL_DIR);
    }

    /** The checkpoint's transformer, loaded in float32 for further training. */
    public static TransformerModel loadModel(Path dir, LoadOptions.DeviceChoice device)
            throws CheckpointException, InsufficientMemoryException {
        return TransformerModel.load(dir.resolve(MODEL_DIR), new LoadOptions(device, LoadOptions.DtypeChoice.FLOAT32));
    }

    /** Loads the optimiser state into {@code optimizer} (which must be of the kind that wrote it). */
    public static void restoreOptimizer(Path dir, Optimizer optimizer, NDManager manager) throws IOException {
        State state = readState(dir);
        if (!state.optimizer().equals(optimizer.name()))
            throw new IOException("The checkpoint " + dir + " was written by " + state.optimizer() + ", not " + optimizer.name()
                    + "; resume with the same optimiser");
        Path file = dir.resolve(OPTIMIZER_FILE);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            if (Files.isRegularFile(file)) {
                try (SafetensorsFile f = SafetensorsFile.open(file)) {
                    for (String name : f.tensors().keySet()) tensors.put(name, f.load(name, scope).toDevice(manager.getDevice(), false));
                } catch (CheckpointException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
            optimizer.restore(tensors, state.updates());
        }
    }
}
