package org.layerwise.sdk.plugin;

import javafx.scene.Node;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

/** Test fixture: a plugin whose constructor throws. */
public class ThrowingTestPlugin implements WorkbenchPlugin {
    public ThrowingTestPlugin() {
        throw new IllegalStateException("config file plugin.yaml is missing");
    }

    @Override
    public String id() { return "throwing-test"; }

    @Override
    public String title() { return "Throwing test"; }

    @Override
    public Node createWorkspace(WorkbenchContext context) { throw new UnsupportedOperationException(); }
}
