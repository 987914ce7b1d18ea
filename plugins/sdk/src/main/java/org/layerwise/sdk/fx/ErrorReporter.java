package org.layerwise.sdk.fx;

import javafx.scene.control.Alert;

/**
 * Where a view reports a failure: what went wrong and what to do. Shaped like
 * {@link org.layerwise.sdk.WorkbenchContext#showError}, so {@code context::showError} is one.
 */
@FunctionalInterface
public interface ErrorReporter {
    void report(String title, String whatToDo, Throwable cause);

    /** A modal alert; for views used outside the workbench shell. Call on the FX thread. */
    static ErrorReporter alert() {
        return (title, whatToDo, cause) -> {
            Alert alert = new Alert(Alert.AlertType.ERROR, whatToDo);
            alert.setHeaderText(title);
            alert.setTitle("Layerwise");
            alert.show();
        };
    }
}
