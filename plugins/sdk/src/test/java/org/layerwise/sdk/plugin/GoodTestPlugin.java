package org.layerwise.sdk.plugin;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

/** Test fixture: a plugin that loads. */
public class GoodTestPlugin implements WorkbenchPlugin {
    @Override
    public String id() { return "good-test"; }

    @Override
    public String title() { return "Good test"; }

    @Override
    public Node createWorkspace(WorkbenchContext context) { return new Label("good"); }
}
