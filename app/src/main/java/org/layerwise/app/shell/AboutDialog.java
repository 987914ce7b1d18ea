package org.layerwise.app.shell;

import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.layerwise.app.EngineInfo;
import org.layerwise.sdk.TaskExecutor;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Help → About: versions of Layerwise, Java, JavaFX, DJL and PyTorch, the engine build and device,
 * and the data folder. Starting the engine takes a moment, so the rows fill in from a background task.
 */
final class AboutDialog {
    private final Alert alert = new Alert(Alert.AlertType.INFORMATION);
    private final GridPane grid = new GridPane();
    private Map<String, String> rows = Map.of();

    AboutDialog(Path dataDir, TaskExecutor tasks, Window owner, Theme theme) {
        alert.setTitle("About Layerwise");
        alert.setHeaderText("Layerwise — a research workbench for how language models store, use and change knowledge");
        alert.setGraphic(Icons.view(Icons.url("layerwise"), 48));
        if (owner != null) alert.initOwner(owner);
        theme.applyTo(alert.getDialogPane());
        alert.getDialogPane().setId("about-dialog");
        grid.setHgap(18);
        grid.setVgap(6);
        grid.setPadding(new Insets(4, 0, 0, 0));
        grid.getStyleClass().add("about-grid");
        Label wait = new Label("Reading versions and starting the engine…");
        wait.getStyleClass().add("muted");
        grid.add(wait, 0, 0);
        Label licence = new Label("Apache License 2.0. Uses DJL with PyTorch, JavaFX, ControlsFX, JFreeChart, SQLite.");
        licence.getStyleClass().add("muted");
        licence.setWrapText(true);
        VBox content = new VBox(14, grid, licence);
        content.setPrefWidth(560);
        alert.getDialogPane().setContent(content);
        ButtonType copy = new ButtonType("Copy", ButtonBar.ButtonData.LEFT);
        alert.getButtonTypes().setAll(copy, ButtonType.CLOSE);
        alert.getDialogPane().lookupButton(copy).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            ClipboardContent c = new ClipboardContent();
            c.putString(rows.entrySet().stream().map(r -> r.getKey() + ": " + r.getValue())
                    .collect(Collectors.joining("\n")));
            Clipboard.getSystemClipboard().setContent(c);
        });
        tasks.execute(() -> EngineInfo.describe(dataDir), this::fill, failure -> {
            grid.getChildren().setAll(new Label("Could not read the engine versions: " + failure.getMessage()));
        });
    }

    private void fill(Map<String, String> info) {
        rows = info;
        grid.getChildren().clear();
        int r = 0;
        for (Map.Entry<String, String> e : info.entrySet()) {
            Label k = new Label(e.getKey());
            k.getStyleClass().add("fact-name");
            Label v = new Label(e.getValue());
            v.getStyleClass().add("fact-value");
            v.setWrapText(true);
            grid.add(k, 0, r);
            grid.add(v, 1, r++);
        }
        alert.getDialogPane().getScene().getWindow().sizeToScene();
    }

    void show() {
        alert.show();
    }
}
