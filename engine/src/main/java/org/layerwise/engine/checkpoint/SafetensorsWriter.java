package org.layerwise.engine.checkpoint;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes tensors in the safetensors format that Hugging Face tools read: F32, F16 and BF16, header
 * padded with spaces to a multiple of 8 bytes, data laid out contiguously with the widest dtype
 * first (so every tensor is aligned to its element size), metadata carrying {@code format: pt}
 * (transformers refuses a file whose metadata lacks it).
 *
 * <p>DJL 0.36's PyTorch engine has no bfloat16 tensors, so BF16 files are written from float32 or
 * float16 arrays with {@code storeAs = DType.BF16}: each value is rounded to nearest-even on the way
 * out, exactly as {@code tensor.to(torch.bfloat16)} rounds.
 *
 * <p>Every file is written to a temporary file in the same folder, forced to disk and then moved
 * over the target in one step, so a failure or a kill leaves either the old file or the new one,
 * never half of one.
 */
public final class SafetensorsWriter {

    /** Name of the shard index written by {@link #writeSharded}. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    /** Bytes of temporaries per piece of a tensor written at once: keeps conversions' extra memory small. */
    static final long DEFAULT_PIECE_BYTES = 64L << 20;

    private static final JsonMapper JSON = new JsonMapper();

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} in their own dtypes (and {@code metadata}, with format=pt added) to {@code file} atomically. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws CheckpointException {
        write(file, tensors, metadata, null);
    }

    /**
     * As {@link #write(Path, Map, Map)}, storing every tensor as {@code storeAs} (F32, F16 or BF16;
     * null keeps each tensor's own dtype).
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata, DType storeAs)
            throws CheckpointException {
        Path temp = writeTemporary(file, tensors, metadata, storeAs, DEFAULT_PIECE_BYTES);
        try {
            moveIntoPlace(temp, file);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Writes {@code tensors} into {@code dir} as {@code model-0000i-of-0000N.safetensors} shards of at
     * most {@code maxShardBytes} each (a larger tensor gets a shard of its own) plus
     * {@code model.safetensors.index.json}, as {@code save_pretrained} does. All shards are written
     * before any is moved into place, and the index is moved last. Refused if {@code dir} holds a
     * {@code model.safetensors}, which would shadow the shards.
     */
    public static void writeSharded(Path dir, Map<String, NDArray> tensors, long maxShardBytes)
            throws CheckpointException {
        writeSharded(dir, tensors, maxShardBytes, Map.of(), null);
    }

    /**
     * As {@link #writeSharded(Path, Map, long)}, with {@code metadata} in every shard and every tensor
     * stored as {@code storeAs} (null keeps each tensor's own dtype).
     */
    public static void writeSharded(Path dir, Map<String, NDArray> tensors, long maxShardBytes,
                                    Map<String, String> metadata, DType storeAs) throws CheckpointException {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, not " + maxShardBytes);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("cannot create the folder " + dir + " (" + e + "); check the path and permissions", e);
        }
        if (Files.exists(dir.resolve(Checkpoint.WEIGHTS_FILE))) {
            throw new CheckpointException(dir + " already holds " + Checkpoint.WEIGHTS_FILE + ", which loaders read before "
                    + "any shards, so the new shards would be ignored; remove it or write into another folder");
        }
        List<Map<String, NDArray>> shards = new ArrayList<>();
        Map<String, NDArray> current = new LinkedHashMap<>();
        long currentBytes = 0;
        long totalBytes = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            long bytes = storeAs == null ? byteLength(e.getValue()) : e.getValue().size() * storeAs.bytesPerElement();
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += bytes;
            totalBytes += bytes;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }

        int n = shards.size();
        List<Path> targets = new ArrayList<>();
        List<Path> temps = new ArrayList<>();
        Map<String, String> weightMap = new TreeMap<>();
        try {
            for (int i = 0; i < n; i++) {
                String shardName = String.format("model-%05d-of-%05d.safetensors", i + 1, n);
                Path target = dir.resolve(shardName);
                temps.add(writeTemporary(target, shards.get(i), metadata, storeAs, DEFAULT_PIECE_BYTES));
                targets.add(target);
                for (String name : shards.get(i).keySet()) {
                    weightMap.put(name, shardName);
                }
            }
            ObjectNode index = JSON.createObjectNode();
            index.putObject("metadata").put("total_size", totalBytes);
            ObjectNode map = index.putObject("weight_map");
            weightMap.forEach(map::put);
            Path indexFile = dir.resolve(INDEX_FILE);
            temps.add(writeTemporaryText(indexFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index)));
            targets.add(indexFile);
            for (int i = 0; i < targets.size(); i++) {
                moveIntoPlace(temps.get(i), targets.get(i));
            }
        } catch (JsonProcessingException e) {
            throw new CheckpointException("cannot write the shard index in " + dir + " (" + e.getOriginalMessage() + ")", e);
        } finally {
            temps.forEach(SafetensorsWriter::deleteQuietly);
        }
    }

    // ---- one file ----------------------------------------------------------------------------

    /** Writes a complete file next to {@code file} and returns its path; nothing is left on failure. */
    static Path writeTemporary(Path file, Map<String, NDArray> tensors, Map<String, String> metadata,
                               DType storeAs, long pieceBytes) throws CheckpointException {
        if (storeAs != null && !storeAs.loadable()) {
            throw new IllegalArgumentException("storeAs must be F32, F16 or BF16, not " + storeAs);
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new CheckpointException("cannot write " + file
                    + ": safetensors data is little-endian and this machine is big-endian");
        }
        List<Map.Entry<String, NDArray>> ordered = new ArrayList<>(tensors.entrySet());
        Map<String, DType> dtypes = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : ordered) {
            String name = e.getKey();
            if (name == null || name.equals("__metadata__")) {
                throw new CheckpointException("cannot write " + file + ": '" + name
                        + "' is not a valid tensor name; rename the tensor");
            }
            DataType source = e.getValue().getDataType();
            boolean writable = storeAs == null ? DType.of(source).isPresent() : source.isFloating();
            if (!writable) {
                throw new CheckpointException("cannot write tensor " + name + " to " + file + ": its dtype " + source
                        + " is not one of " + DType.loadableNames() + "; convert it with toType first");
            }
            dtypes.put(name, storeAs != null ? storeAs : DType.of(source).orElseThrow());
        }
        // Widest dtype first, then by name (as the safetensors library orders them): keeps alignment.
        ordered.sort(Comparator.<Map.Entry<String, NDArray>>comparingInt(e -> -dtypes.get(e.getKey()).bytesPerElement())
                .thenComparing(Map.Entry::getKey));

        byte[] header = header(ordered, dtypes, metadata);
        Path temp;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            temp = Files.createTempFile(parent, "." + file.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + file + " (" + e + "); check the folder exists and is writable", e);
        }
        boolean ok = false;
        String current = null;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(out, prefix);
            for (Map.Entry<String, NDArray> e : ordered) {
                current = e.getKey();
                writeData(out, e.getValue(), dtypes.get(current), pieceBytes);
            }
            current = null;
            out.force(true);
            ok = true;
            return temp;
        } catch (IOException | EngineException e) {
            throw new CheckpointException("cannot write " + (current == null ? "" : "tensor " + current + " to ")
                    + file + " (" + e + "); check free disk space and permissions — the previous file, if any, is unchanged", e);
        } finally {
            if (!ok) {
                deleteQuietly(temp);
            }
        }
    }

    private static byte[] header(List<Map.Entry<String, NDArray>> ordered, Map<String, DType> dtypes,
                                 Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode meta = root.putObject("__metadata__");
        metadata.forEach(meta::put);
        if (!meta.has("format")) {
            meta.put("format", "pt");
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : ordered) {
            ObjectNode entry = root.putObject(e.getKey());
            entry.put("dtype", dtypes.get(e.getKey()).name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : e.getValue().getShape().getShape()) {
                shape.add(d);
            }
            long bytes = e.getValue().size() * dtypes.get(e.getKey()).bytesPerElement();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    /** Streams a tensor's bytes as {@code target}, row-major, from the CPU, in pieces of about {@code pieceBytes}. */
    private static void writeData(FileChannel out, NDArray array, DType target, long pieceBytes) throws IOException {
        long numel = array.size();
        if (numel == 0) {
            return;
        }
        // bytes of temporaries per element: a converted copy, or bfloat16 rounding's float64 arrays
        long temporaryBytes = target == DType.BF16 ? 48 : 4;
        long pieceElements = Math.max(1, pieceBytes / temporaryBytes);
        // reshape is a view of a contiguous tensor and a contiguous copy of a strided one
        NDArray flat = array.reshape(new Shape(numel));
        try {
            for (long from = 0; from < numel; from += pieceElements) {
                long to = Math.min(numel, from + pieceElements);
                NDArray piece = (from == 0 && to == numel) ? flat : flat.get(new NDIndex().addSliceDim(from, to));
                try (NDManager scratch = piece.getManager().newSubManager(Device.cpu())) {
                    NDArray onCpu = piece.toDevice(Device.cpu(), true);
                    onCpu.attach(scratch);
                    // a direct view of native memory: no copy through the Java heap
                    writeFully(out, encoded(onCpu, target, scratch).toByteBuffer(true));
                } finally {
                    if (piece != flat) {
                        piece.close();
                    }
                }
            }
        } finally {
            if (flat != array) {
                flat.close();
            }
        }
    }

    /** {@code values} (contiguous, CPU, attached to {@code scratch}) as the bytes of {@code target}. */
    private static NDArray encoded(NDArray values, DType target, NDManager scratch) {
        if (target == DType.BF16) {
            NDArray floats = values.getDataType() == DataType.FLOAT32 ? values : values.toType(DataType.FLOAT32, false);
            return BFloat16Bits.encode(floats, scratch);
        }
        return values.getDataType() == target.dataType() ? values : values.toType(target.dataType(), false);
    }

    static long byteLength(NDArray array) {
        return array.size() * array.getDataType().getNumOfBytes();
    }

    // ---- files -------------------------------------------------------------------------------

    private static Path writeTemporaryText(Path file, String text) throws CheckpointException {
        Path temp = null;
        try {
            temp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".part");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            return temp;
        } catch (IOException e) {
            if (temp != null) {
                deleteQuietly(temp);
            }
            throw new CheckpointException("cannot write " + file + " (" + e + "); check free disk space and permissions", e);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws CheckpointException {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot move the finished file into place as " + target + " (" + e
                    + "); check permissions — the previous file, if any, is unchanged", e);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a stray hidden .part file is harmless and named after its target
        }
    }
}
