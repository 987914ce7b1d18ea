package org.layerwise.app.shell;

import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import org.controlsfx.control.PropertySheet;
import org.layerwise.sdk.ParameterSet;

import java.util.Optional;

/**
 * The right-hand hyper-parameter sheet: shows the {@link ParameterSet} the current workspace published,
 * grouped by category; edits write straight into the parameters. Collapsible from its header.
 */
public final class HyperParameterPane extends BorderPane {
    private final PropertySheet sheet = new PropertySheet();
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

        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        empty.setWrapText(true);
        empty.getStyleClass().add("placeholder");
        body.getChildren().setAll(empty);
        setCenter(body);
        setMinWidth(0);
        setPrefWidth(300);
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
        ObservableList<PropertySheet.Item> items = FXCollections.observableArrayList();
        for (ParameterSet.Parameter<?> p : parameters.parameters()) items.add(new ParameterItem(p));
        sheet.getItems().setAll(items);
        body.getChildren().setAll(sheet);
    }

    public PropertySheet sheet() {
        return sheet;
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
