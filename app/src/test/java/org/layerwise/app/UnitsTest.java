package org.layerwise.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class UnitsTest {
    @Test
    void bytesUseBinaryUnits() {
        assertThat(Units.bytes(512)).isEqualTo("512 B");
        assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Units.bytes(497_759_232L)).isEqualTo("475 MiB");
        assertThat(Units.bytes(13_476_839_424L)).isEqualTo("12.6 GiB");
        assertThat(Units.bytes(-1)).isEqualTo("–");
    }

    @Test
    void countsUseSiSuffixes() {
        assertThat(Units.count(999)).isEqualTo("999");
        assertThat(Units.count(124_439_808)).isEqualTo("124M");
        assertThat(Units.count(6_738_415_616L)).isEqualTo("6.7B");
        assertThat(Units.count(1_500)).isEqualTo("1.5K");
    }

    @Test
    void durationsReadNaturally() {
        assertThat(Units.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(Units.duration(Duration.ofMillis(12_345))).isEqualTo("12.3 s");
        assertThat(Units.duration(Duration.ofSeconds(245))).isEqualTo("4m 05s");
        assertThat(Units.duration(Duration.ofMinutes(123))).isEqualTo("2h 03m");
    }
}
