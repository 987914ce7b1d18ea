package org.layerwise.engine.checkpoint;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>{@link #open} reads and validates the whole header before anything is allocated for tensors:
 * size cap, types of every field, non-negative dimensions whose product fits in 64 bits,
 * dtype × shape = byte length, every range inside the file, no two ranges overlapping. A file that
 * passes cannot make a later {@link #load} read outside the file.
 *
 * <p>{@link #load} memory-maps the tensor's bytes a piece at a time (64 MB), copies each piece into
 * a tensor that the given manager owns (in the stored dtype unless asked otherwise; bfloat16 as
 * float32, see {@link DType#loadedType}) and unmaps it at once. The returned tensor is therefore
 * independent of the file: it may be written in place, and the file may be replaced while it lives;
 * and loading a whole model holds at most one piece mapped on top of the loaded weights.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Largest header accepted; real headers stay far below 1 MB even with thousands of tensors. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    /**
     * Largest region mapped at once. A ByteBuffer holds under 2 GiB, and while a piece is copied its
     * pages count in the resident memory next to the result, so pieces stay small.
     */
    static final long DEFAULT_PIECE_BYTES = 64L << 20;
    /** bfloat16 pieces are widened through a float32 temporary of twice their size. */
    static final long BF16_PIECE_BYTES = 16L << 20;

    private static final String METADATA_KEY = "__metadata__";
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final long maxPieceBytes;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, long maxPieceBytes,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.maxPieceBytes = maxPieceBytes;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Opens and validates {@code file}; nothing stays open if it is rejected. */
    public static SafetensorsFile open(Path file) throws CheckpointException {
        return open(file, DEFAULT_PIECE_BYTES);
    }

    /** As {@link #open(Path)}, mapping at most {@code maxPieceBytes} at a time. */
    static SafetensorsFile open(Path file, long maxPieceBytes) throws CheckpointException {
        if (!Files.exists(file)) {
            throw new CheckpointException("safetensors file " + file + " does not exist; check the path");
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file + " is not a regular file; give the path of a .safetensors file");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException("cannot open " + file + " (" + e + "); check that it is readable", e);
        }
        boolean ok = false;
        try {
            long size = channel.size();
            long headerLength = readHeaderLength(file, channel, size);
            JsonNode header = parseHeader(file, channel, headerLength);
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = validateEntries(file, header, size - dataStart, metadata);
            SafetensorsFile opened = new SafetensorsFile(file, channel, dataStart, maxPieceBytes, tensors, metadata);
            ok = true;
            return opened;
        } catch (IOException e) {
            throw new CheckpointException("cannot read the header of " + file + " (" + e + "); check the file and the disk", e);
        } finally {
            if (!ok) {
                closeQuietly(channel);
            }
        }
    }

    public Path path() {
        return path;
    }

    /** Every tensor in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The header's {@code __metadata__} map (empty if it has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor {@code name} in its stored dtype and shape, owned by {@code manager}. BF16 tensors come
     * back as FLOAT32 (exactly): DJL 0.36's PyTorch engine cannot hold bfloat16 (see {@link DType#loadedType}).
     */
    public NDArray load(String name, NDManager manager) throws CheckpointException {
        TensorInfo info = loadableInfo(name);
        return read(info, manager, info.dtype().loadedType());
    }

    /** The tensor {@code name} converted to {@code asType}, owned by {@code manager}. */
    public NDArray load(String name, NDManager manager, DataType asType) throws CheckpointException {
        TensorInfo info = loadableInfo(name);
        return read(info, manager, asType);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }

    // ---- header ------------------------------------------------------------------------------

    private static long readHeaderLength(Path file, FileChannel channel, long size)
            throws IOException, CheckpointException {
        if (size < 8) {
            throw new CheckpointException(file + " is truncated: it has " + size
                    + " bytes, but a safetensors file starts with an 8-byte header length; re-download or re-save it");
        }
        ByteBuffer field = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, field, 0);
        long headerLength = field.getLong(0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointException(file + " is not a valid safetensors file: its header length field says "
                    + Long.toUnsignedString(headerLength) + " bytes, over the " + (MAX_HEADER_BYTES >> 20)
                    + " MB limit for a header; the file is corrupt or in another format");
        }
        if (headerLength > size - 8) {
            throw new CheckpointException(file + " is truncated or corrupt: its header length field says "
                    + headerLength + " bytes, beyond the file size (" + size + " bytes, " + (size - 8)
                    + " after the length field); re-download or re-save it");
        }
        if (headerLength < 2) {
            throw new CheckpointException(file + " is not a valid safetensors file: its header length field says "
                    + headerLength + " bytes, too short for a JSON header; the file is corrupt or in another format");
        }
        return headerLength;
    }

    private static JsonNode parseHeader(Path file, FileChannel channel, long headerLength)
            throws IOException, CheckpointException {
        ByteBuffer bytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, bytes, 8);
        bytes.flip();
        CharBuffer text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file + " is not a valid safetensors file: its header is not UTF-8 text; "
                    + "the file is corrupt or in another format", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text.toString());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + " is not a valid safetensors file: its header is not valid JSON ("
                    + e.getOriginalMessage() + " at header column " + e.getLocation().getColumnNr()
                    + "); the file is corrupt or in another format", e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file + " is not a valid safetensors file: its header is JSON but not an object "
                    + "mapping tensor names to entries; the file is corrupt or in another format");
        }
        return root;
    }

    private static Map<String, TensorInfo> validateEntries(Path file, JsonNode header, long dataLength,
                                                           Map<String, String> metadata) throws CheckpointException {
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : header.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (METADATA_KEY.equals(name)) {
                readMetadata(file, value, metadata);
            } else {
                tensors.put(name, readEntry(file, name, value, dataLength));
            }
        }
        List<TensorInfo> byOffset = new ArrayList<>(tensors.values());
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int i = 1; i < byOffset.size(); i++) {
            TensorInfo before = byOffset.get(i - 1);
            TensorInfo after = byOffset.get(i);
            if (after.begin() < before.end()) {
                throw new CheckpointException("corrupt header in " + file + ": tensors " + before.name() + " ["
                        + before.begin() + ", " + before.end() + ") and " + after.name() + " [" + after.begin() + ", "
                        + after.end() + ") overlap in the data section; the file is corrupt — re-download or re-save it");
            }
        }
        return tensors;
    }

    private static void readMetadata(Path file, JsonNode value, Map<String, String> metadata)
            throws CheckpointException {
        if (!value.isObject()) {
            throw new CheckpointException("corrupt header in " + file + ": " + METADATA_KEY
                    + " must be an object of strings; the file is corrupt or written by a non-conforming tool");
        }
        for (Map.Entry<String, JsonNode> item : value.properties()) {
            if (!item.getValue().isTextual()) {
                throw new CheckpointException("corrupt header in " + file + ": " + METADATA_KEY + " entry '"
                        + item.getKey() + "' is not a string; the file is corrupt or written by a non-conforming tool");
            }
            metadata.put(item.getKey(), item.getValue().textValue());
        }
    }

    private static TensorInfo readEntry(Path file, String name, JsonNode value, long dataLength)
            throws CheckpointException {
        String where = "tensor " + name + " in " + file;
        String fix = "; the file is corrupt — re-download or re-save it";
        if (!value.isObject()) {
            throw new CheckpointException("corrupt header for " + where
                    + ": the entry is not an object with dtype, shape and data_offsets" + fix);
        }
        JsonNode dtypeNode = value.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointException("corrupt header for " + where + ": dtype is missing or not a string" + fix);
        }
        String dtypeName = dtypeNode.textValue();
        DType dtype = DType.bySafetensorsName(dtypeName).orElseThrow(() -> new CheckpointException(
                "unknown dtype '" + dtypeName + "' for " + where + "; safetensors dtypes are "
                        + Arrays.stream(DType.values()).map(Enum::name).collect(Collectors.joining(", "))
                        + " and Layerwise loads " + DType.loadableNames()
                        + "; the file is corrupt or from a newer format — convert it to one of those"));
        long[] shape = longArray(value.get("shape"), -1);
        if (shape == null) {
            throw new CheckpointException("corrupt header for " + where
                    + ": shape is missing or not a list of non-negative integers" + fix);
        }
        long[] offsets = longArray(value.get("data_offsets"), 2);
        if (offsets == null) {
            throw new CheckpointException("corrupt header for " + where
                    + ": data_offsets is missing or not a pair of non-negative integers" + fix);
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new CheckpointException("corrupt header for " + where + ": data_offsets [" + begin + ", " + end
                    + "] end before they begin" + fix);
        }
        long expected;
        try {
            long numel = 1;
            for (long d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            expected = Math.multiplyExact(numel, dtype.bytesPerElement());
        } catch (ArithmeticException e) {
            throw new CheckpointException("corrupt header for " + where + ": shape " + Arrays.toString(shape)
                    + " has more bytes than fit in 64 bits" + fix);
        }
        if (end - begin != expected) {
            throw new CheckpointException("corrupt header for " + where + ": dtype " + dtype + " × shape "
                    + Arrays.toString(shape) + " = " + expected + " bytes, but data_offsets [" + begin + ", " + end
                    + "] span " + (end - begin) + " bytes" + fix);
        }
        if (end > dataLength) {
            throw new CheckpointException(where + " lies past the end of the file: data_offsets [" + begin + ", "
                    + end + "] but the data section holds " + dataLength
                    + " bytes; the file is truncated or corrupt — re-download or re-save it");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** The node as non-negative longs (exactly {@code length} of them unless length is -1), or null. */
    private static long[] longArray(JsonNode node, int length) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            return null;
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToLong() || item.longValue() < 0) {
                return null;
            }
            values[i] = item.longValue();
        }
        return values;
    }

    // ---- data --------------------------------------------------------------------------------

    private TensorInfo loadableInfo(String name) throws CheckpointException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException("no tensor '" + name + "' in " + path + " (it holds " + tensors.size()
                    + " tensors" + similarNames(name, tensors.keySet()) + "); check the tensor name");
        }
        if (!info.dtype().loadable()) {
            throw new CheckpointException("unsupported dtype " + info.dtype() + " for tensor " + name + " in file "
                    + path + ": Layerwise loads " + DType.loadableNames()
                    + " tensors; convert this tensor to one of them and save the checkpoint again");
        }
        return info;
    }

    private NDArray read(TensorInfo info, NDManager manager, DataType asType) throws CheckpointException {
        if (!channel.isOpen()) {
            throw new IllegalStateException(path + " is closed");
        }
        if (asType == DataType.BFLOAT16) {
            throw new CheckpointException("cannot load tensor " + info.name() + " from " + path
                    + " as bfloat16: DJL's PyTorch engine (0.36) has no bfloat16 tensors; load it as FLOAT32 "
                    + "(exact) or FLOAT16 (half the memory)");
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new CheckpointException("cannot load tensor " + info.name() + " from " + path
                    + ": safetensors data is little-endian and this machine is big-endian");
        }
        if (info.numel() == 0) {
            return manager.create(info.toShape(), asType);
        }
        long offset = dataStart + info.begin();
        try {
            long size = channel.size();
            if (offset + info.byteLength() > size) {
                throw new CheckpointException(path + " changed on disk since it was opened: it now has " + size
                        + " bytes but tensor " + info.name() + " ends at byte " + (offset + info.byteLength())
                        + "; open the checkpoint again");
            }
            // bfloat16 is widened through a float32 temporary twice its size: smaller pieces keep it small
            long pieceBytes = info.dtype() == DType.BF16 ? Math.min(maxPieceBytes, BF16_PIECE_BYTES) : maxPieceBytes;
            return copyInPieces(info, offset, asType, manager, pieceBytes);
        } catch (IOException e) {
            throw new CheckpointException("cannot read tensor " + info.name() + " from " + path + " (" + e
                    + "); check the file and the disk", e);
        } catch (EngineException e) {
            throw new CheckpointException("cannot load tensor " + info.name() + " " + info.dtype()
                    + Arrays.toString(info.shape()) + " (" + info.byteLength() + " bytes) from " + path + " as "
                    + asType + ": " + e.getMessage() + "; free memory or load in a smaller dtype", e);
        }
    }

    /**
     * Allocates the result once, then maps the tensor's bytes piece by piece, copies (and converts)
     * each piece into its slice of the result, and unmaps it again. On the CPU a piece is seen by
     * PyTorch without a copy (from_blob over the mapping), so the one copy is the one into the result.
     */
    private NDArray copyInPieces(TensorInfo info, long offset, DataType asType, NDManager manager, long pieceBytes)
            throws IOException {
        int elementBytes = info.dtype().bytesPerElement();
        long pieceElements = Math.max(1, pieceBytes / elementBytes);
        long numel = info.numel();
        NDArray flat = manager.create(new Shape(numel), asType);
        try {
            for (long from = 0; from < numel; from += pieceElements) {
                long to = Math.min(numel, from + pieceElements);
                MappedByteBuffer region = channel.map(FileChannel.MapMode.READ_ONLY, offset + from * elementBytes,
                        (to - from) * elementBytes);
                try (NDManager scratch = manager.newSubManager(Device.cpu())) {
                    region.order(ByteOrder.LITTLE_ENDIAN);
                    NDArray values = info.dtype() == DType.BF16
                            ? BFloat16Bits.decode(region, to - from, scratch)
                            : scratch.create(region, new Shape(to - from), info.dtype().dataType());
                    if (!values.getDevice().equals(flat.getDevice())) {
                        values = values.toDevice(flat.getDevice(), false);
                    }
                    flat.set(new NDIndex().addSliceDim(from, to), values);
                } finally {
                    // the views over the mapping were closed with the scratch manager
                    Mappings.release(region);
                }
            }
            // the reshaped tensor shares the storage, which outlives the closed flat handle
            return flat.reshape(info.toShape());
        } finally {
            flat.close();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** "; similar names: a, b" for up to three names that differ from {@code name} by a prefix, or "". */
    static String similarNames(String name, Collection<String> names) {
        String lastPart = name.substring(name.lastIndexOf('.') + 1);
        List<String> similar = names.stream()
                .filter(n -> n.endsWith("." + name) || name.endsWith("." + n))
                .limit(3)
                .collect(Collectors.toList());
        if (similar.isEmpty()) {
            similar = names.stream().filter(n -> n.endsWith("." + lastPart) || n.equals(lastPart))
                    .limit(3).collect(Collectors.toList());
        }
        return similar.isEmpty() ? "" : "; similar names: " + String.join(", ", similar);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            if (n < 0) {
                throw new EOFException("file ended at byte " + position);
            }
            position += n;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written through this channel, so nothing can be lost
        }
    }

    /** Unmaps a mapped region at once instead of whenever the garbage collector finds it. */
    private static final class Mappings {
        private static final Object UNSAFE;
        private static final Method INVOKE_CLEANER;

        static {
            Object unsafe = null;
            Method invokeCleaner = null;
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field field = type.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                unsafe = field.get(null);
                invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // without it, mappings are released by the garbage collector
                unsafe = null;
                invokeCleaner = null;
            }
            UNSAFE = unsafe;
            INVOKE_CLEANER = invokeCleaner;
        }

        static void release(MappedByteBuffer region) {
            if (INVOKE_CLEANER == null) {
                return;
            }
            try {
                INVOKE_CLEANER.invoke(UNSAFE, region);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // left to the garbage collector
            }
        }
    }
}
