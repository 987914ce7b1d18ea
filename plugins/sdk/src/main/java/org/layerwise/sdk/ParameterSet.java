package org.layerwise.sdk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
        private final List<String> choices;
        private final List<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();
        private T value;

        public Parameter(String name, String category, String description, Class<T> type, T value) {
            this(name, category, description, type, value, List.of());
        }

        /**
         * A String parameter whose value is one of {@code choices} (e.g. the names in a component registry,
         * which an enum cannot list): the sheet edits it with a choice box.
         */
        public Parameter(String name, String category, String description, Class<T> type, T value, List<String> choices) {
            this.name = name;
            this.category = category;
            this.description = description;
            this.type = type;
            this.value = value;
            this.choices = List.copyOf(choices);
        }

        public String name() { return name; }
        public String category() { return category; }
        public String description() { return description; }
        public Class<T> type() { return type; }
        public T value() { return value; }
        /** The allowed values of a String parameter; empty when any value goes. */
        public List<String> choices() { return choices; }

        /** Sets the value and tells the listeners (the sheet calls this after each edit). */
        public void set(Object v) {
            this.value = type.cast(v);
            for (Consumer<? super T> l : listeners) l.accept(value);
        }

        /**
         * Called with the new value after every {@link #set}: how a workspace that shows derived views (a
         * diagram, a count) follows edits made in the shell's sheet.
         */
        public void onChange(Consumer<? super T> listener) { listeners.add(listener); }
    }
}
