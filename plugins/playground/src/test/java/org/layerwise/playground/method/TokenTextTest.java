package org.layerwise.playground.method;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenTextTest {
    @Test
    void whitespaceAndControlCharactersBecomeVisible() {
        assertThat(TokenText.visible(" Paris")).isEqualTo("␣Paris");
        assertThat(TokenText.visible("\n\n")).isEqualTo("↵↵");
        assertThat(TokenText.visible("\t")).isEqualTo("⇥");
        assertThat(TokenText.visible("")).isEqualTo("∅");
        assertThat(TokenText.visible("\u0001")).isEqualTo("\\x01");
        assertThat(TokenText.visible("é")).isEqualTo("é");
    }
}
