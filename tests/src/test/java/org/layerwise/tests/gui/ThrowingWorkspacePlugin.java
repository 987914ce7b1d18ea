package org.layerwise.tests.gui;

import javafx.scene.Node;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

/** Loads fine but throws when its workspace is built. */
final class ThrowingWorkspacePlugin implements WorkbenchPlugin {
    static final String ID = "e2e-throwing";

    @Override public String id() { return ID; }
    @Override public String title() { return "Throwing"; }
    @Override public int order() { return 60; }

    @Override
    public Node createWorkspace(WorkbenchContext context) {
        throw new IllegalStateException("workspace view needs a GPU heatmap renderer that is missing");
    }
}
