package org.layerwise.probeedit.ui;

import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import org.layerwise.sdk.WorkbenchContext;

/** Placeholder until the Probe tab is built. */
public final class ProbePanel extends BorderPane {
    public ProbePanel(WorkbenchContext context) {
        setCenter(new Label("Probe"));
    }
}
