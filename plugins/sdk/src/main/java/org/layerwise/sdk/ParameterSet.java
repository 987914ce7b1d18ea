package org.layerwise.sdk;

import java.util.List;

/** Hyper-parameters shown in the right-hand sheet: named, typed, grouped, editable values. */
public interface ParameterSet {
    String title();

    List<Parameter<?>> parameters();

    /**
     * One editable value.
     *
     * @param category group heading in the sheet
     * @param type     Integer, Double, Boolean, String or an enum class
     */
    final class Parameter<T> {
        private final String name;
        private final String category;
        private final String description;
        private final Class<T> type;
        private T value;

        public Parameter(String name, String category, String description, Class<T> type, T value) {
            this.name = name;
            this.category = category;
            this.description = description;
            this.type = type;
            this.value = value;
        }

        public String name() { return name; }
        public String category() { return category; }
        public String description() { return description; }
        public Class<T> type() { return type; }
        public T value() { return value; }
        public void set(Object v) { this.value = type.cast(v); }
    }
}
