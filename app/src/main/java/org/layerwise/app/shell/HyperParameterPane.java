package org.layerwise.app.shell;

import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Control;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.PropertyEditor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.layerwise.sdk.ParameterSet;

import java.util.Optional;

/**
 * The right-hand hyper-parameter sheet: shows the {@link ParameterSet} the current workspace published,
 * grouped by category; edits write straight into the parameters. Collapsible from its header.
 */
public final class HyperParameterPane extends BorderPane {
    private final Label title = new Label("Parameters");
    private final StackPane body = new StackPane();
    private final Label empty = new Label("This workspace has no parameters for its current action.");
    private Runnable onCollapse = () -> {};

    public HyperParameterPane() {
        setId("parameter-pane");
        getStyleClass().add("parameter-pane");
        title.getStyleClass().add("pane-title");
        title.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(title, Priority.ALWAYS);
        Button collapse = new Button("›");
        collapse.getStyleClass().addAll("flat", "icon-button");
        collapse.setTooltip(new Tooltip("Hide the parameter sheet (View → Parameters shows it again)"));
        collapse.setOnAction(e -> onCollapse.run());
        HBox header = new HBox(6, title, new Region(), collapse);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("pane-header");
        setTop(header);

        empty.setWrapText(true);
        empty.getStyleClass().add("placeholder");
        body.getChildren().setAll(empty);
        setCenter(body);
        setMinWidth(0);
        setPrefWidth(320);
    }

    public void onCollapse(Runnable r) {
        this.onCollapse = r;
    }

    /** Shows {@code parameters}, or the empty note when null. FX thread. */
    public void show(ParameterSet parameters) {
        if (parameters == null || parameters.parameters().isEmpty()) {
            title.setText(parameters == null ? "Parameters" : parameters.title());
            body.getChildren().setAll(empty);
            return;
        }
        title.setText(parameters.title());
        body.getChildren().setAll(sheet(parameters));
    }

    /**
     * One section per category (in the order the parameters come), each a grid of name and editor; the
     * editors are ControlsFX's (numeric fields, check boxes, enum choices, text fields).
     */
    private Node sheet(ParameterSet parameters) {
        Map<String, List<ParameterSet.Parameter<?>>> byCategory = new LinkedHashMap<>();
        for (ParameterSet.Parameter<?> p : parameters.parameters()) {
            byCategory.computeIfAbsent(p.category() == null ? "" : p.category(), k -> new ArrayList<>()).add(p);
        }
        VBox sections = new VBox(14);
        sections.getStyleClass().add("parameter-sections");
        DefaultPropertyEditorFactory editors = new DefaultPropertyEditorFactory();
        for (Map.Entry<String, List<ParameterSet.Parameter<?>>> e : byCategory.entrySet()) {
            GridPane grid = new GridPane();
            grid.getStyleClass().add("parameter-grid");
            grid.setHgap(10);
            grid.setVgap(6);
            ColumnConstraints names = new ColumnConstraints();
            names.setPercentWidth(52);
            ColumnConstraints values = new ColumnConstraints();
            values.setPercentWidth(48);
            values.setFillWidth(true);
            grid.getColumnConstraints().setAll(names, values);
            int row = 0;
            for (ParameterSet.Parameter<?> p : e.getValue()) {
                ParameterItem item = new ParameterItem(p);
                Label name = new Label(p.name());
                name.getStyleClass().add("parameter-name");
                name.setWrapText(true);
                Node editor = editorFor(editors, item);
                if (p.description() != null && !p.description().isBlank()) {
                    Tooltip tip = new Tooltip(p.description());
                    tip.setWrapText(true);
                    tip.setMaxWidth(360);
                    name.setTooltip(tip);
                    if (editor instanceof Control c) c.setTooltip(tip);
                }
                if (editor instanceof Region r) r.setMaxWidth(Double.MAX_VALUE);
                grid.add(name, 0, row);
                grid.add(editor, 1, row++);
            }
            VBox section = new VBox(6);
            if (!e.getKey().isEmpty()) {
                Label heading = new Label(e.getKey().toUpperCase(java.util.Locale.ROOT));
                heading.getStyleClass().add("section-title");
                section.getChildren().add(heading);
            }
            section.getChildren().add(grid);
            sections.getChildren().add(section);
        }
        ScrollPane scroll = new ScrollPane(sections);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("parameter-scroll");
        return scroll;
    }

    private static Node editorFor(DefaultPropertyEditorFactory editors, ParameterItem item) {
        PropertyEditor<?> editor = editors.call(item);
        if (editor == null) {
            Label fixed = new Label(String.valueOf(item.getValue()));
            fixed.getStyleClass().add("muted");
            return fixed;
        }
        @SuppressWarnings("unchecked")
        PropertyEditor<Object> typed = (PropertyEditor<Object>) editor;
        typed.setValue(item.getValue());
        // write back on every change: the next action reads the values as shown
        Node node = typed.getEditor();
        if (node instanceof CheckBox box) {
            box.selectedProperty().addListener((o, a, b) -> item.setValue(b));
        } else if (node instanceof ComboBoxBase<?> combo) {
            combo.valueProperty().addListener((o, a, b) -> item.setValue(b));
        } else if (node instanceof TextInputControl text) {
            text.textProperty().addListener((o, a, b) -> {
                try {
                    Object v = typed.getValue();
                    if (v != null) item.setValue(v);
                    text.getStyleClass().remove("invalid");
                } catch (RuntimeException bad) {
                    if (!text.getStyleClass().contains("invalid")) text.getStyleClass().add("invalid");
                }
            });
        }
        return node;
    }

    /** Adapts one parameter to the sheet; numbers typed into the sheet are converted to the declared type. */
    static final class ParameterItem implements PropertySheet.Item {
        private final ParameterSet.Parameter<?> parameter;

        ParameterItem(ParameterSet.Parameter<?> parameter) {
            this.parameter = parameter;
        }

        @Override public Class<?> getType() { return parameter.type(); }
        @Override public String getCategory() { return parameter.category(); }
        @Override public String getName() { return parameter.name(); }
        @Override public String getDescription() { return parameter.description(); }
        @Override public Object getValue() { return parameter.value(); }
        @Override public Optional<ObservableValue<?>> getObservableValue() { return Optional.empty(); }

        @Override
        public void setValue(Object value) {
            parameter.set(coerce(value, parameter.type()));
        }

        static Object coerce(Object value, Class<?> type) {
            if (value instanceof Number n) {
                if (type == Integer.class) return n.intValue();
                if (type == Long.class) return n.longValue();
                if (type == Double.class) return n.doubleValue();
                if (type == Float.class) return n.floatValue();
            }
            if (value instanceof String s && type != String.class) {
                if (type == Integer.class) return Integer.valueOf(s.trim());
                if (type == Long.class) return Long.valueOf(s.trim());
                if (type == Double.class) return Double.valueOf(s.trim());
                if (type == Boolean.class) return Boolean.valueOf(s.trim());
            }
            return value;
        }
    }
}
