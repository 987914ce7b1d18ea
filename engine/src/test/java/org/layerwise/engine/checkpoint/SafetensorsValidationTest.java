package org.layerwise.engine.checkpoint;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each broken file gives one CheckpointException that names the file, the tensor and the fault. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    private static final byte[] SIXTEEN = RawSafetensors.floats(1, 2, 3, 4);

    private Path write(byte[] bytes) throws Exception {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, bytes);
        return file;
    }

    static Stream<Arguments> brokenHeaders() {
        return Stream.of(
                arguments("offsets past the end", "{\"w\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}}",
                        "w", "lies past the end of the file"),
                arguments("offsets that overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", "b", "overlap"),
                arguments("dtype × shape ≠ bytes", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}",
                        "w", "dtype F32 × shape [3] = 12 bytes, but data_offsets [0, 16] span 16 bytes"),
                arguments("unknown dtype", "{\"w\":{\"dtype\":\"Q7\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                        "w", "unknown dtype 'Q7' for tensor w in"),
                arguments("begin after end", "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}",
                        "w", "end before they begin"),
                arguments("negative dimension", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}",
                        "w", "shape is missing or not a list of non-negative integers"),
                arguments("shape not a list", "{\"w\":{\"dtype\":\"F32\",\"shape\":\"4\",\"data_offsets\":[0,16]}}",
                        "w", "shape is missing"),
                arguments("fractional offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0.0,16.0]}}",
                        "w", "data_offsets is missing or not a pair"),
                arguments("offsets too big for 64 bits", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],"
                        + "\"data_offsets\":[0,99999999999999999999999]}}", "w", "data_offsets is missing or not a pair"),
                arguments("one offset", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16]}}",
                        "w", "data_offsets is missing"),
                arguments("no dtype", "{\"w\":{\"shape\":[4],\"data_offsets\":[0,16]}}", "w", "dtype is missing"),
                arguments("entry not an object", "{\"w\":[1,2]}", "w", "not an object with dtype"),
                arguments("shape overflows 64 bits", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                        + "\"data_offsets\":[0,16]}}", "w", "more bytes than fit in 64 bits"),
                arguments("metadata not strings", "{\"__metadata__\":{\"format\":1},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "__metadata__", "is not a string"),
                arguments("duplicate tensor", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "w", "not valid JSON"),
                arguments("non-JSON header", "this is not JSON at all!", "", "header is not valid JSON"),
                arguments("JSON but not an object", "[1, 2, 3]", "", "not an object"),
                arguments("trailing garbage", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}} x",
                        "", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenHeaders")
    void brokenHeaderIsRejected(String fault, String header, String tensor, String expected) throws Exception {
        Path file = write(RawSafetensors.bytes(header, SIXTEEN));
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(tensor)
                .hasMessageContaining(expected);
    }

    @Test
    void fileShorterThanTheLengthField() throws Exception {
        Path file = write(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(file + " is truncated: it has 3 bytes, but a safetensors file starts with an 8-byte "
                        + "header length; re-download or re-save it");
    }

    @Test
    void truncatedDataNamesTheTensorThatIsCut() throws Exception {
        byte[] whole = RawSafetensors.bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", SIXTEEN);
        Path file = write(Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("tensor b in " + file + " lies past the end of the file: data_offsets [8, 16] "
                        + "but the data section holds 13 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() throws Exception {
        byte[] header = "{}      ".getBytes(StandardCharsets.UTF_8);
        Path file = write(RawSafetensors.bytes(1000, header, SIXTEEN));
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("header length field says 1000 bytes, beyond the file size (32 bytes");
    }

    @Test
    void headerLengthOverTheCapIsRefusedBeforeAnyAllocation() throws Exception {
        byte[] header = "{}      ".getBytes(StandardCharsets.UTF_8);
        for (long length : new long[] {SafetensorsFile.MAX_HEADER_BYTES + 1, Long.MAX_VALUE, -8}) {
            Path file = write(RawSafetensors.bytes(length, header, SIXTEEN));
            assertThatThrownBy(() -> SafetensorsFile.open(file))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("over the 100 MB limit");
        }
    }

    @Test
    void headerThatIsNotUtf8() throws Exception {
        byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        Path file = write(RawSafetensors.bytes(header.length, header, SIXTEEN));
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void integerTensorsLoadAndUnsupportedDtypesOpenButRefuseToLoad() throws Exception {
        byte[] data = new byte[18];
        data[0] = 7;   // position_ids = [7, 1] as little-endian int64
        data[8] = 1;
        Path file = write(RawSafetensors.bytes("{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"scale\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[16,18]}}", data));
        try (SafetensorsFile st = SafetensorsFile.open(file); NDManager manager = NDManager.newBaseManager()) {
            assertThat(st.tensors().get("position_ids").dtype()).isEqualTo(DType.I64);
            assertThat(st.load("position_ids", manager).toLongArray()).containsExactly(7L, 1L);
            assertThatThrownBy(() -> st.load("scale", manager))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith("unsupported dtype I16 for tensor scale in file " + file);
        }
    }

    @Test
    void missingTensorSuggestsNamesThatDifferByAPrefix() throws Exception {
        Path file = write(RawSafetensors.bytes("{\"transformer.h.0.ln_1.weight\":{\"dtype\":\"F32\",\"shape\":[4],"
                + "\"data_offsets\":[0,16]}}", SIXTEEN));
        try (SafetensorsFile st = SafetensorsFile.open(file); NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> st.load("h.0.ln_1.weight", manager))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith("no tensor 'h.0.ln_1.weight' in " + file)
                    .hasMessageContaining("similar names: transformer.h.0.ln_1.weight");
        }
    }

    @Test
    void notAFile() throws Exception {
        assertThatThrownBy(() -> SafetensorsFile.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("is not a regular file");
        Path missing = dir.resolve("nope.safetensors");
        assertThatThrownBy(() -> SafetensorsFile.open(missing))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(missing + " does not exist");
    }

    @Test
    void gapsAndZeroSizedTensorsAreAccepted() throws Exception {
        // valid per the format: a zero-element tensor, and an unused gap before "b"
        Path file = write(RawSafetensors.bytes("{\"e\":{\"dtype\":\"F16\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", SIXTEEN));
        try (SafetensorsFile st = SafetensorsFile.open(file); NDManager manager = NDManager.newBaseManager()) {
            assertThat(st.tensors().keySet()).containsExactly("e", "a", "b");
            assertThat(st.load("a", manager).toFloatArray()).containsExactly(1);
            assertThat(st.load("a", manager).getShape().dimension()).isZero();
            assertThat(st.load("b", manager).toFloatArray()).containsExactly(3, 4);
            assertThat(st.load("e", manager).getShape().getShape()).containsExactly(0, 3);
        }
    }
}
