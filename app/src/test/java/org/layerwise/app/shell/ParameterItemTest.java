package org.layerwise.app.shell;

import org.junit.jupiter.api.Test;
import org.layerwise.sdk.ParameterSet;

import static org.assertj.core.api.Assertions.assertThat;

class ParameterItemTest {
    @Test
    void numbersFromTheSheetTakeTheDeclaredType() {
        ParameterSet.Parameter<Integer> k = new ParameterSet.Parameter<>("Top-k", "Sampling", "", Integer.class, 40);
        HyperParameterPane.ParameterItem item = new HyperParameterPane.ParameterItem(k);
        item.setValue(12.0);
        assertThat(k.value()).isEqualTo(12);
        item.setValue("7");
        assertThat(k.value()).isEqualTo(7);
        ParameterSet.Parameter<Double> t = new ParameterSet.Parameter<>("T", "Sampling", "", Double.class, 1.0);
        new HyperParameterPane.ParameterItem(t).setValue(3);
        assertThat(t.value()).isEqualTo(3.0);
        assertThat(item.getCategory()).isEqualTo("Sampling");
        assertThat(item.getType()).isEqualTo(Integer.class);
    }
}
