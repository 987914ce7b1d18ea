package org.layerwise.sdk.fx;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.collections.FXCollections;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.ParameterSet.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link ParameterSet} as an editable sheet (ControlsFX PropertySheet): one titled group per category, in the
 * order the set lists them, an editor per type (number field, check box, text, choice of enum constants), the description
 * as the name's tooltip. Edits are written straight back into the {@link Parameter}s.
 */
public final class ParameterSheet extends BorderPane {
    private final Label title = new Label();
    private final VBox groups = new VBox();
    private final List<ParameterItem> items = new ArrayList<>();
    private final Map<String, PropertySheet> sheets = new LinkedHashMap<>();
    private Consumer<Parameter<?>> onEdited = p -> { };
    private ParameterSet parameters;

    public ParameterSheet() {
        getStyleClass().add("parameter-sheet");
        title.getStyleClass().add("parameter-sheet-title");
        title.setStyle("-fx-font-weight: bold;");
        title.setPadding(new Insets(6, 8, 6, 8));
        ScrollPane scroll = new ScrollPane(groups);
        scroll.setFitToWidth(true);
        setTop(title);
        setCenter(scroll);
    }

    public ParameterSheet(ParameterSet parameters) {
        this();
        setParameters(parameters);
    }

    /** Shows another set (or nothing, for null). */
    public void setParameters(ParameterSet parameters) {
        this.parameters = parameters;
        items.clear();
        sheets.clear();
        Map<String, List<PropertySheet.Item>> byCategory = new LinkedHashMap<>();
        if (parameters != null) {
            for (Parameter<?> p : parameters.parameters()) {
                ParameterItem item = new ParameterItem(p);
                items.add(item);
                byCategory.computeIfAbsent(category(p), c -> new ArrayList<>()).add(item);
            }
        }
        // one sheet per category, all open at once (PropertySheet's own category mode is an accordion that
        // shows a single group), in the order the set first mentions them
        List<TitledPane> panes = new ArrayList<>();
        byCategory.forEach((category, members) -> {
            PropertySheet sheet = new PropertySheet(FXCollections.observableArrayList(members));
            sheet.setPropertyEditorFactory(ParameterSheet::editor);
            sheet.setMode(PropertySheet.Mode.NAME);
            sheet.setModeSwitcherVisible(false);
            sheet.setSearchBoxVisible(false);
            sheets.put(category, sheet);
            TitledPane pane = new TitledPane(category, sheet);
            pane.setExpanded(true);
            panes.add(pane);
        });
        groups.getChildren().setAll(panes);
        title.setText(parameters == null ? "" : parameters.title());
    }

    public ParameterSet getParameters() { return parameters; }

    /** Called after an edit was written into its parameter (FX thread). */
    public void setOnEdited(Consumer<Parameter<?>> handler) {
        this.onEdited = handler == null ? p -> { } : handler;
    }

    /** Re-reads every value after the parameters changed elsewhere (e.g. a run's settings were restored). */
    public void refresh() {
        items.forEach(ParameterItem::reload);
    }

    /** The sheet items, one per parameter, in the set's order. */
    public List<PropertySheet.Item> items() {
        return List.copyOf(items);
    }

    /** The ControlsFX sheet of one category (e.g. for a custom editor factory), or null. */
    public PropertySheet propertySheet(String category) {
        return sheets.get(category);
    }

    /** The categories shown, in order. */
    public List<String> categories() {
        return List.copyOf(sheets.keySet());
    }

    private static final DefaultPropertyEditorFactory DEFAULT_EDITORS = new DefaultPropertyEditorFactory();

    /** A choice box for a parameter with {@link Parameter#choices()}, else ControlsFX's editor for the type. */
    private static PropertyEditor<?> editor(PropertySheet.Item item) {
        if (item instanceof ParameterItem p && !p.parameter.choices().isEmpty())
            return Editors.createChoiceEditor(item, p.parameter.choices());
        return DEFAULT_EDITORS.call(item);
    }

    private static String category(Parameter<?> p) {
        return p.category() == null || p.category().isBlank() ? "General" : p.category();
    }

    /** Converts what an editor hands back (a Number of the wrong box, a String) to the parameter's type. */
    static Object convert(Class<?> type, Object value) {
        if (value == null || type.isInstance(value)) {
            return value;
        }
        if (value instanceof Number n) {
            if (type == Integer.class) return n.intValue();
            if (type == Double.class) return n.doubleValue();
            if (type == Long.class) return n.longValue();
            if (type == Float.class) return n.floatValue();
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (type == Integer.class) return Integer.valueOf(t);
            if (type == Double.class) return Double.valueOf(t);
            if (type == Long.class) return Long.valueOf(t);
            if (type == Boolean.class) return Boolean.valueOf(t);
        }
        throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " cannot be a "
                + type.getSimpleName());
    }

    private final class ParameterItem implements PropertySheet.Item {
        private final Parameter<?> parameter;
        private final ObjectProperty<Object> value;

        ParameterItem(Parameter<?> parameter) {
            this.parameter = Objects.requireNonNull(parameter, "parameter");
            this.value = new SimpleObjectProperty<>(parameter.value());
        }

        void reload() {
            value.set(parameter.value());
        }

        @Override
        public Class<?> getType() { return parameter.type(); }

        @Override
        public String getCategory() { return category(parameter); }

        @Override
        public String getName() { return parameter.name(); }

        @Override
        public String getDescription() { return parameter.description(); }

        @Override
        public Object getValue() { return parameter.value(); }

        @Override
        public void setValue(Object newValue) {
            Object converted;
            try {
                converted = convert(parameter.type(), newValue);
            } catch (IllegalArgumentException e) { // a half-typed number: keep the last good value
                return;
            }
            if (converted == null && parameter.type() != String.class) {
                return;
            }
            if (Objects.equals(converted, parameter.value())) {
                return;
            }
            parameter.set(converted);
            value.set(converted);
            onEdited.accept(parameter);
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.of(value);
        }
    }
}
