package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hugging Face golden folders under tests/src/test/resources/golden: config.json and golden.safetensors
 * (int64 ids and float32 references, which the checkpoint reader does not load as weights). Just enough
 * safetensors for these trusted files: F32, F16, I64 and BF16 (widened to F32).
 */
final class GoldenFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final JsonNode config;

    private GoldenFolder(Path dir) throws IOException {
        this.dir = dir;
        this.config = JSON.readTree(dir.resolve("config.json").toFile());
    }

    static GoldenFolder open(String name) throws IOException {
        return new GoldenFolder(root().resolve(name));
    }

    /** The golden folder of the repository, found from the module directory upwards. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path g = p.resolve("tests/src/test/resources/golden");
            if (Files.isDirectory(g)) return g;
            p = p.getParent();
        }
        throw new IllegalStateException("tests/src/test/resources/golden not found above " + Path.of("").toAbsolutePath());
    }

    Map<String, NDArray> golden(NDManager m) throws IOException {
        return read(dir.resolve("golden.safetensors"), m);
    }

    static Map<String, NDArray> read(Path file, NDManager m) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) all.getLong(0);
        JsonNode header = JSON.readTree(new String(bytes, 8, headerLen, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, NDArray> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode t = e.getValue();
            long[] dims = new long[t.get("shape").size()];
            for (int i = 0; i < dims.length; i++) dims[i] = t.get("shape").get(i).asLong();
            int begin = 8 + headerLen + t.get("data_offsets").get(0).asInt();
            int end = 8 + headerLen + t.get("data_offsets").get(1).asInt();
            ByteBuffer data = ByteBuffer.allocateDirect(end - begin).order(ByteOrder.nativeOrder());
            data.put(bytes, begin, end - begin).flip();
            Shape shape = new Shape(dims);
            String dtype = t.get("dtype").asText();
            switch (dtype) {
                case "F32": out.put(e.getKey(), m.create(data.asFloatBuffer(), shape)); break;
                case "F16": out.put(e.getKey(), m.create(data, shape, DataType.FLOAT16)); break;
                case "I64": out.put(e.getKey(), m.create(data.asLongBuffer(), shape)); break;
                case "BF16": {
                    float[] f = new float[(end - begin) / 2];
                    for (int i = 0; i < f.length; i++) f[i] = Float.intBitsToFloat((data.getShort(2 * i) & 0xffff) << 16);
                    out.put(e.getKey(), m.create(f, shape));
                    break;
                }
                default: throw new IOException(file + ": dtype " + dtype + " not handled by the test reader");
            }
        }
        return out;
    }
}
