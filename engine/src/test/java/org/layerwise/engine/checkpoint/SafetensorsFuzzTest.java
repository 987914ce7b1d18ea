package org.layerwise.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Thousands of mutated headers and length fields: every open either succeeds or throws a
 * CheckpointException naming the file (never another exception, a hang or an out-of-memory), and a
 * file that opens only describes tensors inside its data section, which then load.
 */
class SafetensorsFuzzTest {

    private static final int MUTANTS = 3000;
    private static final long SEED = 0x5AFE7E45L;
    private static final byte[] JSON_BYTES = "{}[]\",:-+.eE0123456789 \\nulltruefalseF32BF16I64shape".getBytes(StandardCharsets.UTF_8);
    private static final String[] DTYPES = {"F32", "F16", "BF16", "I64", "U8", "BOOL", "F8_E4M3", "F64", "X1", ""};

    @TempDir
    Path dir;

    private byte[] validFile() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("model.embed_tokens.weight", manager.randomNormal(new Shape(6, 4)));
            tensors.put("model.layers.0.mlp.gate_proj.weight", manager.randomNormal(new Shape(4, 5)).toType(DataType.FLOAT16, false));
            tensors.put("model.layers.0.input_layernorm.weight", manager.ones(new Shape(4)));
            tensors.put("model.norm.weight", manager.ones(new Shape(4)));
            tensors.put("lm_head.weight", manager.randomNormal(new Shape(6, 4)));
            Map<String, NDArray> asBf16 = Map.of("model.layers.0.self_attn.q_proj.weight", manager.randomNormal(new Shape(4, 4)));
            Path a = dir.resolve("a.safetensors");
            Path b = dir.resolve("b.safetensors");
            SafetensorsWriter.write(a, tensors, Map.of("note", "fuzz base"));
            SafetensorsWriter.write(b, asBf16, Map.of(), DType.BF16);
            // splice the BF16 entry into the first file's header, so the base mixes three dtypes
            try (SafetensorsFile fa = SafetensorsFile.open(a); SafetensorsFile fb = SafetensorsFile.open(b)) {
                byte[] rawA = Files.readAllBytes(a);
                byte[] rawB = Files.readAllBytes(b);
                long dataA = rawA.length - 8 - RawSafetensors.headerLength(rawA);
                TensorInfo q = fb.tensors().values().iterator().next();
                StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
                for (TensorInfo t : fa.tensors().values()) {
                    header.append(',').append(entry(t, t.begin(), t.end()));
                }
                header.append(',').append(entry(q, dataA, dataA + q.byteLength())).append('}');
                int dataStartA = (int) (8 + RawSafetensors.headerLength(rawA));
                int dataStartB = (int) (8 + RawSafetensors.headerLength(rawB));
                byte[] data = new byte[(int) (dataA + q.byteLength())];
                System.arraycopy(rawA, dataStartA, data, 0, (int) dataA);
                System.arraycopy(rawB, dataStartB, data, (int) dataA, (int) q.byteLength());
                return RawSafetensors.bytes(header.toString(), data);
            }
        }
    }

    private static String entry(TensorInfo t, long begin, long end) {
        return "\"" + t.name() + "\":{\"dtype\":\"" + t.dtype() + "\",\"shape\":" + Arrays.toString(t.shape()).replace(" ", "")
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void mutatedHeadersOpenCleanlyOrFailWithCheckpointException() throws Exception {
        byte[] base = validFile();
        Path file = dir.resolve("mutant.safetensors");
        Random random = new Random(SEED);
        int[] opened = {0};
        int[] rejected = {0};
        int[] loads = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int i = 0; i < MUTANTS; i++) {
                    byte[] mutant = mutate(base, random);
                    Files.write(file, mutant);
                    try (SafetensorsFile st = SafetensorsFile.open(file)) {
                        opened[0]++;
                        loads[0] += checkInBoundsAndLoad(st, mutant, manager);
                    } catch (CheckpointException e) {
                        rejected[0]++;
                        assertThat(e.getMessage()).as("mutant %d", i).contains(file.toString());
                    } catch (RuntimeException | Error e) {
                        throw new AssertionError("mutant " + i + " (seed " + SEED + ") escaped with " + e, e);
                    }
                }
            }
        });
        System.out.printf("fuzz: %d opened, %d rejected, %d tensors loaded%n", opened[0], rejected[0], loads[0]);
        // both outcomes must be well represented, or the mutations test nothing
        assertThat(opened[0]).isGreaterThan(50);
        assertThat(rejected[0]).isGreaterThan(2000);
        assertThat(loads[0]).isGreaterThan(200);
    }

    /** Checks every tensor lies in the file without overlap, loads each one; returns the loads done. */
    private static int checkInBoundsAndLoad(SafetensorsFile st, byte[] mutant, NDManager manager) throws Exception {
        long dataLength = mutant.length - 8 - RawSafetensors.headerLength(mutant);
        List<TensorInfo> infos = new ArrayList<>(st.tensors().values());
        for (TensorInfo t : infos) {
            assertThat(t.begin()).isBetween(0L, t.end());
            assertThat(t.end()).isLessThanOrEqualTo(dataLength);
            assertThat(t.byteLength()).isEqualTo(t.numel() * t.dtype().bytesPerElement());
        }
        infos.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int k = 1; k < infos.size(); k++) {
            assertThat(infos.get(k).begin()).isGreaterThanOrEqualTo(infos.get(k - 1).end());
        }
        int loads = 0;
        for (TensorInfo t : infos) {
            if (!t.dtype().loadable() || t.byteLength() > (1 << 20)) {
                continue;
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray loaded = st.load(t.name(), scope);
                assertThat(loaded.getShape().getShape()).containsExactly(t.shape());
                loads++;
            }
        }
        return loads;
    }

    /** One to three stacked mutations of the header and its length field. */
    private static byte[] mutate(byte[] base, Random random) {
        byte[] file = base.clone();
        int count = 1 + random.nextInt(3);
        for (int m = 0; m < count; m++) {
            file = mutateOnce(file, random);
        }
        return file;
    }

    private static byte[] mutateOnce(byte[] file, Random random) {
        if (file.length < 8) {
            return file;   // already cut inside the length field
        }
        long headerLength = RawSafetensors.headerLength(file);
        int headerEnd = (int) Math.max(8, Math.min(file.length, 8 + Math.max(0, headerLength)));
        int kind = random.nextInt(9);
        switch (kind) {
            case 0: { // flip one bit of the length field or the header
                int at = random.nextInt(headerEnd);
                file[at] ^= (byte) (1 << random.nextInt(8));
                return file;
            }
            case 1: { // change a digit (offsets, shapes, numbers in names)
                int at = randomDigit(file, headerEnd, random);
                if (at >= 0) {
                    file[at] = (byte) ('0' + random.nextInt(10));
                }
                return file;
            }
            case 2: { // insert digits next to a digit, keeping the length field honest half of the time
                int at = randomDigit(file, headerEnd, random);
                if (at < 0) {
                    return file;
                }
                byte[] digits = new byte[1 + random.nextInt(12)];
                for (int k = 0; k < digits.length; k++) {
                    digits[k] = (byte) ('0' + random.nextInt(10));
                }
                return splice(file, at, 0, digits, random.nextBoolean());
            }
            case 3: { // truncate the file anywhere
                return Arrays.copyOf(file, random.nextInt(file.length + 1));
            }
            case 4: { // insert JSON-ish bytes
                int at = 8 + random.nextInt(Math.max(1, headerEnd - 8));
                byte[] insert = new byte[1 + random.nextInt(4)];
                for (int k = 0; k < insert.length; k++) {
                    insert[k] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : JSON_BYTES[random.nextInt(JSON_BYTES.length)];
                }
                return splice(file, Math.min(at, file.length), 0, insert, random.nextBoolean());
            }
            case 5: { // delete a run of header bytes
                if (headerEnd <= 9) {
                    return file;
                }
                int at = 8 + random.nextInt(headerEnd - 8);
                int length = Math.min(1 + random.nextInt(16), headerEnd - at);
                return splice(file, at, length, new byte[0], random.nextBoolean());
            }
            case 6: { // rewrite the length field
                long value;
                switch (random.nextInt(5)) {
                    case 0: value = random.nextLong(); break;
                    case 1: value = headerLength + random.nextInt(33) - 16; break;
                    case 2: value = file.length - 8L + random.nextInt(5) - 2; break;
                    case 3: value = SafetensorsFile.MAX_HEADER_BYTES + random.nextInt(3) - 1; break;
                    default: value = random.nextInt(16); break;
                }
                ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
                return file;
            }
            case 7: { // swap a dtype for another (known, unsupported or unknown)
                String header = new String(file, 8, headerEnd - 8, StandardCharsets.ISO_8859_1);
                int at = header.indexOf("\"dtype\":\"", random.nextInt(Math.max(1, header.length())));
                if (at < 0) {
                    at = header.indexOf("\"dtype\":\"");
                }
                if (at < 0) {
                    return file;
                }
                int start = 8 + at + 9;
                int end = start;
                while (end < headerEnd && file[end] != '"') {
                    end++;
                }
                return splice(file, start, end - start,
                        DTYPES[random.nextInt(DTYPES.length)].getBytes(StandardCharsets.US_ASCII), true);
            }
            default: { // duplicate a slice of the header somewhere else in it
                if (headerEnd <= 9) {
                    return file;
                }
                int from = 8 + random.nextInt(headerEnd - 8);
                int length = Math.min(1 + random.nextInt(40), headerEnd - from);
                byte[] slice = Arrays.copyOfRange(file, from, from + length);
                int at = 8 + random.nextInt(headerEnd - 8);
                return splice(file, at, 0, slice, random.nextBoolean());
            }
        }
    }

    private static int randomDigit(byte[] file, int headerEnd, Random random) {
        int start = 8 + random.nextInt(Math.max(1, headerEnd - 8));
        for (int k = 0; k < headerEnd - 8; k++) {
            int at = 8 + (start - 8 + k) % Math.max(1, headerEnd - 8);
            if (at < file.length && file[at] >= '0' && file[at] <= '9') {
                return at;
            }
        }
        return -1;
    }

    /** Replaces file[at, at + remove) with insert; optionally fixes the length field by the size change. */
    private static byte[] splice(byte[] file, int at, int remove, byte[] insert, boolean adjustLength) {
        at = Math.min(at, file.length);
        remove = Math.min(remove, file.length - at);
        byte[] out = new byte[file.length - remove + insert.length];
        System.arraycopy(file, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(file, at + remove, out, at + insert.length, file.length - at - remove);
        if (adjustLength && at >= 8 && out.length >= 8) {
            long length = RawSafetensors.headerLength(out) + insert.length - remove;
            ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length);
        }
        return out;
    }
}
