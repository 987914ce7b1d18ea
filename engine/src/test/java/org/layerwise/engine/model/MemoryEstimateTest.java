package org.layerwise.engine.model;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryEstimateTest {

    @Test
    void readsMemAvailableFromMeminfo(@TempDir Path dir) throws Exception {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       16318480 kB\nMemFree:         1234567 kB\nMemAvailable:    8388608 kB\n");
        assertThat(MemoryEstimate.memAvailable(meminfo)).isEqualTo(8L << 30);
        assertThat(MemoryEstimate.memAvailable(dir.resolve("absent"))).isEqualTo(-1);
    }

    @Test
    void refusesWithNeededAndAvailableFigures() {
        MemoryEstimate e = new MemoryEstimate(14L << 30, 6L << 30, "cpu");
        assertThat(e.fits()).isFalse();
        assertThatThrownBy(() -> e.requireFits("llama-7b"))
                .isInstanceOf(InsufficientMemoryException.class)
                .hasMessageContaining("llama-7b needs 14.0 GiB, 6.0 GiB available on cpu");
        assertThat(new MemoryEstimate(1, -1, "gpu(0)").fits()).as("unknown availability does not block").isTrue();
    }

    @Test
    void estimateAddsAMarginToTheWeightsAndSeesThisMachine() {
        MemoryEstimate e = MemoryEstimate.forWeights(1L << 30, Device.cpu());
        assertThat(e.neededBytes()).isEqualTo((1L << 30) + (1L << 30) / 10 + MemoryEstimate.FIXED_MARGIN);
        assertThat(e.availableBytes()).isPositive();
        assertThat(e.device()).isEqualTo("cpu");
    }
}
