package org.layerwise.app.shell;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * File → Data folder…: where runs and artifacts live, a way to open it, and how to use another one
 * (the same rule the command line follows, so the GUI and {@code ./layerwise runs} always agree).
 */
final class DataFolderDialog {
    private final Alert alert = new Alert(Alert.AlertType.NONE);

    DataFolderDialog(Path current, Consumer<Path> openWithDesktop, Window owner, Theme theme) {
        alert.setTitle("Data folder");
        alert.setHeaderText("Runs, metrics, traces and artifacts are stored in");
        if (owner != null) alert.initOwner(owner);
        theme.applyTo(alert.getDialogPane());
        TextField path = new TextField(current.toString());
        path.setEditable(false);
        path.setPrefColumnCount(42);
        Label how = new Label("To use another folder, start Layerwise with --data-dir DIR or set LAYERWISE_HOME; "
                + "otherwise it is ~/.local/share/layerwise. The command line (./layerwise runs list) follows the "
                + "same rule, so a run started on a server opens here when you point both at the same folder.");
        how.setWrapText(true);
        how.getStyleClass().add("muted");
        VBox box = new VBox(10, path, how);
        box.setPrefWidth(560);
        alert.getDialogPane().setContent(box);

        ButtonType open = new ButtonType("Open folder", ButtonBar.ButtonData.LEFT);
        ButtonType copy = new ButtonType("Copy path", ButtonBar.ButtonData.OTHER);
        alert.getButtonTypes().setAll(open, copy, ButtonType.CLOSE);
        alert.getDialogPane().lookupButton(open).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            openWithDesktop.accept(current);
        });
        alert.getDialogPane().lookupButton(copy).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            ClipboardContent c = new ClipboardContent();
            c.putString(current.toString());
            Clipboard.getSystemClipboard().setContent(c);
        });
    }

    void show() {
        alert.show();
    }
}
