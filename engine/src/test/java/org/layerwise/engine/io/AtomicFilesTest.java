package org.layerwise.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void writesAFileAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("sub/dir/out.csv");
        AtomicFiles.writeString(target, "a,b\n1,2\n");
        assertThat(target).hasContent("a,b\n1,2\n");
        assertThat(listing(target.getParent())).containsExactly("out.csv");
    }

    @Test
    void aFailureMidWriteLeavesANewTargetAbsent() {
        Path target = dir.resolve("weights.safetensors");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]); // more than the buffer: bytes really reached the temporary
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(target).doesNotExist();
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void aFailureMidWriteLeavesAnExistingTargetUnchanged() throws IOException {
        Path target = Files.writeString(dir.resolve("report.json"), "{\"old\":true}");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("{\"new\":".getBytes());
            throw new IllegalStateException("cancelled"); // e.g. JobCancelledException
        })).isInstanceOf(IllegalStateException.class);
        assertThat(target).hasContent("{\"old\":true}");
        assertThat(listing(dir)).containsExactly("report.json");
    }

    @Test
    void replacesAnExistingFileWhole() throws IOException {
        Path target = Files.writeString(dir.resolve("x.txt"), "a much longer old content");
        AtomicFiles.writeString(target, "new");
        assertThat(target).hasContent("new");
    }

    @Test
    void aWriterThatClosesItsStreamStillProducesAForcedCompleteFile() throws IOException {
        Path target = dir.resolve("z.bin");
        AtomicFiles.write(target, out -> {
            try (out) {
                out.write(new byte[] {1, 2, 3});
            }
        });
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
    }

    @Test
    void anInterruptedThreadStopsTheWriteAndLeavesNothing() {
        Path target = dir.resolve("big.bin");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
                for (int i = 0; i < 64; i++) out.write(new byte[1 << 16]);
            })).isInstanceOfAny(ClosedByInterruptException.class, InterruptedIOException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(target).doesNotExist();
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void directoriesAreBuiltAsideAndMovedIntoPlace() throws IOException {
        Path model = dir.resolve("edited-model");
        AtomicFiles.writeDirectory(model, d -> {
            Files.writeString(d.resolve("config.json"), "{}");
            Files.write(d.resolve("model.safetensors"), new byte[64]);
        });
        assertThat(listing(model)).containsExactlyInAnyOrder("config.json", "model.safetensors");

        // a failed re-save keeps the previous model whole
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(model, d -> {
            Files.writeString(d.resolve("config.json"), "{\"broken\":");
            throw new IOException("out of memory while saving");
        })).hasMessageContaining("out of memory");
        assertThat(model.resolve("config.json")).hasContent("{}");
        assertThat(listing(dir)).containsExactly("edited-model");

        // a successful re-save replaces it whole (old files do not linger)
        AtomicFiles.writeDirectory(model, d -> Files.writeString(d.resolve("config.json"), "{\"v\":2}"));
        assertThat(listing(model)).containsExactly("config.json");
        assertThat(listing(dir)).containsExactly("edited-model");
    }

    @Test
    void copiesFilesAndTreesAndMeasuresThem() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/nested"));
        Files.writeString(src.resolve("a.txt"), "12345");
        Files.writeString(dir.resolve("src/b.txt"), "123");
        AtomicFiles.copy(dir.resolve("src"), dir.resolve("copy"));
        assertThat(dir.resolve("copy/nested/a.txt")).hasContent("12345");
        assertThat(AtomicFiles.size(dir.resolve("copy"))).isEqualTo(8);
        AtomicFiles.copy(dir.resolve("src/b.txt"), dir.resolve("b2.txt"));
        assertThat(AtomicFiles.size(dir.resolve("b2.txt"))).isEqualTo(3);
        assertThatThrownBy(() -> AtomicFiles.copy(dir.resolve("nope"), dir.resolve("x")))
                .hasMessageContaining("does not exist");
        AtomicFiles.deleteTree(dir.resolve("copy"));
        assertThat(dir.resolve("copy")).doesNotExist();
    }

    private static List<String> listing(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
