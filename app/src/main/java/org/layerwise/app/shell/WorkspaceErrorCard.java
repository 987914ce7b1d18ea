package org.layerwise.app.shell;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Shown in place of a workspace that could not be loaded or built: what failed, why, what to do, and the
 * stack trace to copy into a bug report. The rest of the app keeps working.
 */
public final class WorkspaceErrorCard extends VBox {
    public WorkspaceErrorCard(String headline, String whatToDo, Throwable cause, Runnable retry) {
        getStyleClass().add("error-card");
        setId("error-card");
        setAlignment(Pos.TOP_LEFT);
        setMaxWidth(720);
        setSpacing(12);

        Label icon = new Label(null, Icons.view(Icons.url("broken"), 40));
        Label title = new Label(headline);
        title.getStyleClass().add("error-card-title");
        title.setWrapText(true);
        HBox head = new HBox(14, icon, title);
        head.setAlignment(Pos.CENTER_LEFT);

        Label reason = new Label(ErrorReporter.describe(cause));
        reason.setId("error-card-reason");
        reason.getStyleClass().add("error-card-reason");
        reason.setWrapText(true);
        Label advice = new Label(whatToDo);
        advice.getStyleClass().add("error-card-advice");
        advice.setWrapText(true);
        getChildren().addAll(head, reason, advice);

        if (cause != null) {
            String trace = AlertErrorReporter.stackTrace(cause);
            TextArea details = new TextArea(trace);
            details.setEditable(false);
            details.getStyleClass().add("mono");
            details.setPrefRowCount(12);
            TitledPane more = new TitledPane("Details", details);
            more.setExpanded(false);
            Button copy = new Button("Copy details");
            copy.setOnAction(e -> {
                ClipboardContent c = new ClipboardContent();
                c.putString(headline + "\n" + trace);
                Clipboard.getSystemClipboard().setContent(c);
            });
            HBox actions = new HBox(8, copy);
            if (retry != null) {
                Button again = new Button("Try again");
                again.getStyleClass().add("accent");
                again.setOnAction(e -> retry.run());
                actions.getChildren().add(0, again);
            }
            getChildren().addAll(actions, more);
        }
    }
}
