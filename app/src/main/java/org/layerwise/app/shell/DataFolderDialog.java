package org.layerwise.app.shell;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import org.layerwise.app.DataDirectory;

import java.io.File;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.prefs.Preferences;

/**
 * File → Data folder…: where runs and artifacts live, open it, or choose another one for the next start
 * (the run store in use stays open until then, so nothing is lost mid-session).
 */
final class DataFolderDialog {
    private final Alert alert = new Alert(Alert.AlertType.NONE);

    DataFolderDialog(Path current, Preferences prefs, Consumer<Path> openWithDesktop, Window owner, Theme theme) {
        alert.setTitle("Data folder");
        alert.setHeaderText("Runs, metrics, traces and artifacts are stored in");
        if (owner != null) alert.initOwner(owner);
        theme.applyTo(alert.getDialogPane());
        TextField path = new TextField(current.toString());
        path.setEditable(false);
        path.setPrefColumnCount(42);
        String chosen = prefs.get(DataDirectory.PREF_KEY, null);
        Label how = new Label("Order of precedence: --data-dir, then $LAYERWISE_HOME, then the folder chosen here"
                + (chosen != null ? " (now " + chosen + ")" : "") + ", then ~/.local/share/layerwise. "
                + "The command line (./layerwise runs list) reads the same folder.");
        how.setWrapText(true);
        how.getStyleClass().add("muted");
        VBox box = new VBox(10, path, how);
        box.setPrefWidth(560);
        alert.getDialogPane().setContent(box);

        ButtonType open = new ButtonType("Open folder", ButtonBar.ButtonData.LEFT);
        ButtonType change = new ButtonType("Change…", ButtonBar.ButtonData.OTHER);
        alert.getButtonTypes().setAll(open, change, ButtonType.CLOSE);
        alert.getDialogPane().lookupButton(open).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            openWithDesktop.accept(current);
        });
        alert.getDialogPane().lookupButton(change).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Choose the data folder for the next start");
            File start = current.toFile().getParentFile();
            if (start != null && start.isDirectory()) chooser.setInitialDirectory(start);
            File dir = chooser.showDialog(alert.getDialogPane().getScene().getWindow());
            if (dir == null) return;
            prefs.put(DataDirectory.PREF_KEY, dir.getAbsolutePath());
            how.setText("From the next start Layerwise uses " + dir.getAbsolutePath() + " (unless --data-dir or "
                    + "$LAYERWISE_HOME says otherwise). This session keeps using " + current + ".");
        });
    }

    void show() {
        alert.show();
    }
}
