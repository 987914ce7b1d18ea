package org.layerwise.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Hugging Face model folder: {@code config.json}, the weights as {@code model.safetensors} or as
 * shards listed by {@code model.safetensors.index.json}, and usually {@code tokenizer.json}.
 *
 * <p>{@link #open} checks the folder's structure and every safetensors header (see
 * {@link SafetensorsFile}) before anything is loaded; tensors are loaded one at a time with
 * {@link #load}. Closing the checkpoint closes its files; loaded tensors stay valid.
 */
public final class Checkpoint implements AutoCloseable {

    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";
    public static final String INDEX_FILE = SafetensorsWriter.INDEX_FILE;
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path directory;
    private final JsonNode config;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOf;
    private final Map<String, TensorInfo> tensors;
    private final long totalBytes;

    private Checkpoint(Path directory, JsonNode config, List<SafetensorsFile> files,
                       Map<String, SafetensorsFile> fileOf, Map<String, TensorInfo> tensors) {
        this.directory = directory;
        this.config = config;
        this.files = List.copyOf(files);
        this.fileOf = fileOf;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.totalBytes = tensors.values().stream().mapToLong(TensorInfo::byteLength).sum();
    }

    /** Opens the model folder {@code dir}; if it is rejected, nothing stays open. */
    public static Checkpoint open(Path dir) throws CheckpointException {
        if (!Files.exists(dir)) {
            throw new CheckpointException("model folder " + dir + " does not exist; check the path");
        }
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + " is not a folder; give the model folder that holds "
                    + CONFIG_FILE + " and the safetensors weights");
        }
        JsonNode config = readConfig(dir);
        Path single = dir.resolve(WEIGHTS_FILE);
        Path index = dir.resolve(INDEX_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            file.tensors().keySet().forEach(name -> fileOf.put(name, file));
            return new Checkpoint(dir, config, List.of(file), fileOf, new LinkedHashMap<>(file.tensors()));
        }
        if (Files.isRegularFile(index)) {
            return openSharded(dir, config, index);
        }
        throw new CheckpointException(missingWeightsMessage(dir));
    }

    public Path directory() {
        return directory;
    }

    /** The parsed {@code config.json}. */
    public JsonNode config() {
        return config;
    }

    /** Every tensor of every weight file, by name; offsets are relative to the tensor's own file. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The safetensors files holding the weights (one, or the shards in index order). */
    public List<Path> weightFiles() {
        return files.stream().map(SafetensorsFile::path).collect(Collectors.toList());
    }

    /** {@code __metadata__} of the first weight file (save_pretrained writes the same into every shard). */
    public Map<String, String> metadata() {
        return files.isEmpty() ? Map.of() : files.get(0).metadata();
    }

    /** Sum of all tensors' stored bytes: what the weights take in memory in their stored dtypes. */
    public long totalBytes() {
        return totalBytes;
    }

    public boolean hasTokenizer() {
        return Files.isRegularFile(directory.resolve(TOKENIZER_FILE));
    }

    /** The tensor {@code name} in its stored dtype and shape, owned by {@code manager}. */
    public NDArray load(String name, NDManager manager) throws CheckpointException {
        return fileFor(name).load(name, manager);
    }

    /** The tensor {@code name} converted to {@code asType}, owned by {@code manager}. */
    public NDArray load(String name, NDManager manager, DataType asType) throws CheckpointException {
        return fileFor(name).load(name, manager, asType);
    }

    /**
     * Checks that every tensor in {@code needed} is here with that shape and a loadable dtype (extra tensors are
     * ignored), before anything is loaded. A failure names the file (the shard, or the index for a missing tensor of a
     * sharded checkpoint), the tensor and what config.json describes ({@code configDescription}).
     */
    public void requireTensors(Map<String, Shape> needed, String configDescription) throws CheckpointException {
        for (Map.Entry<String, Shape> e : needed.entrySet()) {
            String name = e.getKey();
            TensorInfo info = tensors.get(name);
            SafetensorsFile file = fileOf.get(name);
            Path where = file != null ? file.path() : files.size() == 1 ? files.get(0).path() : directory.resolve(INDEX_FILE);
            if (info == null)
                throw new CheckpointException(where + ": no tensor '" + name + "' " + e.getValue() + ", which " + CONFIG_FILE
                        + " (" + configDescription + ") needs; the weights do not belong to this config");
            if (!info.toShape().equals(e.getValue()))
                throw new CheckpointException(where + ": tensor '" + name + "' has shape " + info.toShape() + " but "
                        + CONFIG_FILE + " (" + configDescription + ") needs " + e.getValue());
            if (!info.dtype().loadable())
                throw new CheckpointException(where + ": tensor '" + name + "' is " + info.dtype()
                        + "; weights must be F32, F16 or BF16");
        }
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + directory + ", " + tensors.size() + " tensors, " + totalBytes + " bytes]";
    }

    private SafetensorsFile fileFor(String name) throws CheckpointException {
        SafetensorsFile file = fileOf.get(name);
        if (file == null) {
            throw new CheckpointException("no tensor '" + name + "' in checkpoint " + directory + " (it holds "
                    + tensors.size() + " tensors" + SafetensorsFile.similarNames(name, tensors.keySet())
                    + "); check that the folder holds the model you meant");
        }
        return file;
    }

    private static JsonNode readConfig(Path dir) throws CheckpointException {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("no " + CONFIG_FILE + " in " + dir + "; a Hugging Face model folder holds "
                    + CONFIG_FILE + " next to the weights — copy it from where the model came from");
        }
        JsonNode config = readJson(file);
        if (!config.isObject()) {
            throw new CheckpointException(file + " is not a JSON object of model settings; fix or re-download it");
        }
        return config;
    }

    private static JsonNode readJson(Path file) throws CheckpointException {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new CheckpointException(file + " is empty; fix or re-download it");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + " is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); fix or re-download it", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + " (" + e + "); check that it is readable", e);
        }
    }

    private static Checkpoint openSharded(Path dir, JsonNode config, Path index) throws CheckpointException {
        JsonNode weightMap = readJson(index).get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new CheckpointException(index + " has no weight_map object (tensor name → shard file); "
                    + "fix or re-download it");
        }
        Path root = dir.toAbsolutePath().normalize();
        Map<String, String> shardOf = new LinkedHashMap<>();
        Map<String, Path> shardPaths = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(index + " maps tensor " + e.getKey()
                        + " to something that is not a file name; fix or re-download it");
            }
            String shard = e.getValue().textValue();
            Path shardPath = root.resolve(shard).normalize();
            if (!root.equals(shardPath.getParent())) {
                throw new CheckpointException(index + " maps tensor " + e.getKey() + " to '" + shard
                        + "', which is not a file in " + dir + "; shards must sit next to the index");
            }
            shardOf.put(e.getKey(), shard);
            shardPaths.putIfAbsent(shard, shardPath);
        }
        for (Map.Entry<String, Path> shard : shardPaths.entrySet()) {
            if (!Files.isRegularFile(shard.getValue())) {
                throw new CheckpointException("shard " + shard.getKey() + " listed in " + index + " is missing from "
                        + dir + " (" + shardPaths.size() + " shards are listed); download every shard of the model");
            }
        }

        List<SafetensorsFile> opened = new ArrayList<>();
        boolean ok = false;
        try {
            Map<String, SafetensorsFile> byShard = new LinkedHashMap<>();
            for (Map.Entry<String, Path> shard : shardPaths.entrySet()) {
                SafetensorsFile file = SafetensorsFile.open(shard.getValue());
                opened.add(file);
                byShard.put(shard.getKey(), file);
            }
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : shardOf.entrySet()) {
                SafetensorsFile file = byShard.get(e.getValue());
                TensorInfo info = file.tensors().get(e.getKey());
                if (info == null) {
                    throw new CheckpointException("tensor " + e.getKey() + " is mapped to shard " + e.getValue()
                            + " by " + index + ", but that shard does not contain it; the index and the shards "
                            + "do not match — download the checkpoint again");
                }
                fileOf.put(e.getKey(), file);
                tensors.put(e.getKey(), info);
            }
            Checkpoint checkpoint = new Checkpoint(dir, config, opened, fileOf, tensors);
            ok = true;
            return checkpoint;
        } finally {
            if (!ok) {
                opened.forEach(SafetensorsFile::close);
            }
        }
    }

    private static String missingWeightsMessage(Path dir) {
        List<String> present;
        try (Stream<Path> listing = Files.list(dir)) {
            present = listing.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            present = List.of();
        }
        StringBuilder message = new StringBuilder("no " + WEIGHTS_FILE + " or " + INDEX_FILE + " in " + dir
                + "; Layerwise reads Hugging Face safetensors checkpoints");
        List<String> pickles = present.stream()
                .filter(n -> n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".ckpt"))
                .collect(Collectors.toList());
        List<String> otherSafetensors = present.stream().filter(n -> n.endsWith(".safetensors"))
                .collect(Collectors.toList());
        if (!otherSafetensors.isEmpty()) {
            message.append("; found ").append(String.join(", ", otherSafetensors))
                    .append(": rename a single file to ").append(WEIGHTS_FILE)
                    .append(", or add the ").append(INDEX_FILE).append(" that lists the shards");
        }
        if (!pickles.isEmpty()) {
            message.append("; found ").append(String.join(", ", pickles));
        }
        message.append("; convert .bin weights with: python -c \"from transformers import AutoModelForCausalLM as M; "
                + "M.from_pretrained('").append(dir).append("').save_pretrained('").append(dir)
                .append("', safe_serialization=True)\"");
        return message.toString();
    }
}
