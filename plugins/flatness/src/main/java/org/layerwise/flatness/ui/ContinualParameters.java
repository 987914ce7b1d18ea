package org.layerwise.flatness.ui;

import org.layerwise.flatness.method.ContinualConfig;
import org.layerwise.sdk.ParameterSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every switch of a {@link ContinualConfig} as an editable sheet; {@link #config()} reads the edits back. */
final class ContinualParameters implements ParameterSet {
    private final List<Parameter<?>> parameters = new ArrayList<>();
    private final String title;

    ContinualParameters(ContinualConfig config) {
        this.title = "Continual learning: " + config.method();
        for (ContinualConfig.Setting s : ContinualConfig.SETTINGS) {
            if (s.name().equals("method")) continue;
            Object v = config.get(s.name());
            if (v instanceof Boolean b) parameters.add(new Parameter<>(s.name(), s.group(), s.description(), Boolean.class, b));
            else if (v instanceof Integer i) parameters.add(new Parameter<>(s.name(), s.group(), s.description(), Integer.class, i));
            else if (v instanceof Double d) parameters.add(new Parameter<>(s.name(), s.group(), s.description(), Double.class, d));
            else parameters.add(new Parameter<>(s.name(), s.group(), s.description(), String.class, String.valueOf(v)));
        }
    }

    @Override public String title() { return title; }

    @Override public List<Parameter<?>> parameters() { return parameters; }

    /** The sheet's values as KEY=VALUE overrides. */
    List<String> overrides() {
        List<String> out = new ArrayList<>();
        for (Parameter<?> p : parameters) out.add(p.name() + "=" + String.valueOf(p.value()).toLowerCase(Locale.ROOT));
        return out;
    }

    @SuppressWarnings("unchecked")
    <T> void set(String name, T value) {
        for (Parameter<?> p : parameters) if (p.name().equals(name)) ((Parameter<T>) p).set(value);
    }
}
