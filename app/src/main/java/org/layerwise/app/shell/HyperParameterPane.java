package org.layerwise.app.shell;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.fx.ParameterSheet;

/**
 * The right-hand hyper-parameter sheet: the {@link ParameterSet} the current workspace published, in the
 * sdk's {@link ParameterSheet} (edits go straight into the parameters), under a header that names the
 * set and collapses the pane.
 */
public final class HyperParameterPane extends BorderPane {
    private final ParameterSheet sheet = new ParameterSheet();
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
        HBox header = new HBox(6, title, collapse);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("pane-header");
        setTop(header);

        sheet.setTop(null); // the header above names the set
        empty.setWrapText(true);
        empty.getStyleClass().add("placeholder");
        body.getChildren().setAll(empty);
        setCenter(body);
        setMinWidth(250);
        setPrefWidth(320);
    }

    public void onCollapse(Runnable r) {
        this.onCollapse = r;
    }

    /** Shows {@code parameters}, or the empty note when null. FX thread. */
    public void show(ParameterSet parameters) {
        title.setText(parameters == null ? "Parameters" : parameters.title());
        if (parameters == null || parameters.parameters().isEmpty()) {
            sheet.setParameters(null);
            body.getChildren().setAll(empty);
            return;
        }
        sheet.setParameters(parameters);
        body.getChildren().setAll(sheet);
    }

    public ParameterSheet sheet() {
        return sheet;
    }
}
