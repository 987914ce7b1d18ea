package org.layerwise.sdk.fx;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;
import org.layerwise.sdk.plugin.PluginLoadResult;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Shown in place of a workspace that could not be loaded or built: what failed, why, and what to do, with the
 * stack trace folded away. The rest of the workbench keeps working.
 */
public final class ErrorCard extends StackPane {
    private final Label heading;
    private final Label reason;
    private final Label advice;

    public ErrorCard(String heading, String reason, String whatToDo, Throwable cause) {
        getStyleClass().add("error-card");
        this.heading = new Label(heading);
        this.heading.getStyleClass().add("error-card-heading");
        this.heading.setStyle("-fx-font-size: 1.3em; -fx-font-weight: bold;");
        this.heading.setWrapText(true);
        this.reason = new Label(reason);
        this.reason.setWrapText(true);
        this.advice = new Label(whatToDo);
        this.advice.setWrapText(true);
        this.advice.getStyleClass().add("error-card-advice");
        VBox box = new VBox(10, this.heading, this.reason, this.advice);
        if (cause != null) {
            TextArea trace = new TextArea(stackTrace(cause));
            trace.setEditable(false);
            trace.setPrefRowCount(12);
            TitledPane details = new TitledPane("Details", trace);
            details.setExpanded(false);
            box.getChildren().add(details);
        }
        box.setMaxWidth(640);
        box.setPadding(new Insets(24));
        box.setStyle("-fx-border-color: #d9534f; -fx-border-width: 0 0 0 4; -fx-background-color: -fx-control-inner-background;");
        setAlignment(Pos.CENTER);
        setPadding(new Insets(24));
        getChildren().add(box);
    }

    /** For a plugin that failed to load (from {@link org.layerwise.sdk.plugin.PluginLoader}). */
    public static ErrorCard forFailedPlugin(PluginLoadResult failure) {
        return new ErrorCard("Workspace " + failure.displayName() + " could not be loaded",
                failure.reason(),
                "The other workspaces work as usual. Fix or remove the plugin (" + failure.provider()
                        + ") and restart Layerwise.",
                failure.cause());
    }

    /** For a plugin whose {@link WorkbenchPlugin#createWorkspace} threw. */
    public static ErrorCard forFailedWorkspace(String title, Throwable cause) {
        return new ErrorCard("Workspace " + title + " could not be opened",
                "Building the workspace failed: " + cause,
                "The other workspaces work as usual. Check the log for the full error; update or remove the plugin.",
                cause);
    }

    /** Builds the plugin's workspace, or an error card when that throws (or returns nothing). */
    public static Node createWorkspace(WorkbenchPlugin plugin, WorkbenchContext context) {
        String title = safeTitle(plugin);
        try {
            Node node = plugin.createWorkspace(context);
            if (node == null) {
                return new ErrorCard("Workspace " + title + " could not be opened",
                        "The plugin returned no workspace.",
                        "This is a bug in the plugin (" + plugin.getClass().getName() + "); report it.", null);
            }
            return node;
        } catch (RuntimeException | LinkageError e) {
            return forFailedWorkspace(title, e);
        }
    }

    public String heading() { return heading.getText(); }
    public String reason() { return reason.getText(); }
    public String whatToDo() { return advice.getText(); }

    private static String safeTitle(WorkbenchPlugin plugin) {
        try {
            return plugin.title();
        } catch (RuntimeException e) {
            return plugin.getClass().getSimpleName();
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
