package org.layerwise.app.shell;

import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.layerwise.sdk.fx.ErrorReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Shows failures as a non-modal alert over the main window (the user's work stays as it was) and logs
 * them, so the log console and the terminal keep the stack trace.
 */
public final class AlertErrorReporter implements ErrorReporter {
    private static final Logger LOG = LoggerFactory.getLogger(AlertErrorReporter.class);

    private final Supplier<Window> owner;
    private final Supplier<Theme> theme;

    public AlertErrorReporter(Supplier<Window> owner, Supplier<Theme> theme) {
        this.owner = owner;
        this.theme = theme;
    }

    @Override
    public void report(String title, String whatToDo, Throwable cause) {
        LOG.error("{} — {}", title, Failures.describe(cause), cause);
        if (Platform.isFxApplicationThread()) show(title, whatToDo, cause);
        else Platform.runLater(() -> show(title, whatToDo, cause));
    }

    private void show(String title, String whatToDo, Throwable cause) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.setTitle("Layerwise");
        alert.setHeaderText(title);
        Window w = owner.get();
        if (w != null && w.isShowing()) alert.initOwner(w);
        theme.get().applyTo(alert.getDialogPane());
        alert.getDialogPane().getStyleClass().add("error-dialog");

        VBox body = new VBox(8);
        String reason = Failures.describe(cause);
        if (!reason.isBlank()) {
            Label what = new Label(reason);
            what.setWrapText(true);
            what.getStyleClass().add("error-reason");
            body.getChildren().add(what);
        }
        if (whatToDo != null && !whatToDo.isBlank()) {
            Label todo = new Label(whatToDo);
            todo.setWrapText(true);
            todo.getStyleClass().add("error-advice");
            body.getChildren().add(todo);
        }
        body.setPrefWidth(520);
        alert.getDialogPane().setContent(body);
        if (cause != null) {
            TextArea trace = new TextArea(Failures.stackTrace(cause));
            trace.setEditable(false);
            trace.getStyleClass().add("mono");
            trace.setPrefRowCount(14);
            alert.getDialogPane().setExpandableContent(trace);
        }
        alert.show();
    }
}
