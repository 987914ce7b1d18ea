package org.layerwise.playground.method;

import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.GenerationConfig;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodingSettingsTest {
    @Test
    void stopStringsSplitOnBarsWithEscapes() {
        assertThat(DecodingSettings.parseStops("a|b\\|c|\\n||\\t\\\\")).containsExactly("a", "b|c", "\n", "\t\\");
        assertThat(DecodingSettings.parseStops("")).isEmpty();
        assertThat(DecodingSettings.parseStops(null)).isEmpty();
    }

    @Test
    void badEscapesAreNamed() {
        assertThatThrownBy(() -> DecodingSettings.parseStops("x\\q")).hasMessageContaining("\\q");
        assertThatThrownBy(() -> DecodingSettings.parseStops("x\\")).hasMessageContaining("lone backslash");
    }

    @Test
    void configCarriesEverySetting() {
        GenerationConfig c = new DecodingSettings(12, 0.5, 7, 0.9, 99, ".|\\n", 5).validate().toConfig();
        assertThat(c.maxNewTokens()).isEqualTo(12);
        assertThat(c.temperature()).isEqualTo(0.5);
        assertThat(c.topK()).isEqualTo(7);
        assertThat(c.topP()).isEqualTo(0.9);
        assertThat(c.seed()).isEqualTo(99);
        assertThat(c.stopStrings()).isEqualTo(List.of(".", "\n"));
        assertThat(c.useCache()).isTrue();
    }

    @Test
    void outOfRangeValuesSayWhichAndWhy() {
        DecodingSettings d = DecodingSettings.defaults();
        assertThatThrownBy(() -> new DecodingSettings(0, 1, 0, 1, 0, "", 10).validate()).hasMessageContaining("Max new tokens");
        assertThatThrownBy(() -> new DecodingSettings(5, -0.1, 0, 1, 0, "", 10).validate()).hasMessageContaining("Temperature");
        assertThatThrownBy(() -> new DecodingSettings(5, 1, -1, 1, 0, "", 10).validate()).hasMessageContaining("Top-k");
        assertThatThrownBy(() -> new DecodingSettings(5, 1, 0, 0, 0, "", 10).validate()).hasMessageContaining("Top-p");
        assertThatThrownBy(() -> new DecodingSettings(5, 1, 0, 1.5, 0, "", 10).validate()).hasMessageContaining("Top-p");
        assertThatThrownBy(() -> new DecodingSettings(5, 1, 0, 1, 0, "", 0).validate()).hasMessageContaining("Tokens shown");
        assertThat(d.validate()).isSameAs(d);
    }

    @Test
    void parametersAreStoredWithReadableNames() {
        assertThat(new DecodingSettings(3, 0, 0, 1, 1, "x", 4).toParameters())
                .containsEntry("max_new_tokens", 3).containsEntry("temperature", 0.0)
                .containsEntry("stop_strings", List.of("x")).containsEntry("distribution_size", 4);
    }
}
