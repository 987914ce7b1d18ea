package org.layerwise.probeedit.ui;

import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import org.layerwise.sdk.WorkbenchContext;

/** Placeholder until the Edit tab is built. */
public final class EditPanel extends BorderPane {
    public EditPanel(WorkbenchContext context) {
        setCenter(new Label("Edit"));
    }
}
