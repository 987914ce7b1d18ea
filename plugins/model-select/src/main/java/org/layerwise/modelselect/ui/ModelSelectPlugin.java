package org.layerwise.modelselect.ui;

import javafx.scene.Node;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

import java.util.List;

/** Two-phase model selection: coarse recall by clustering and proxy scores, fine selection by successive halving. */
public final class ModelSelectPlugin implements WorkbenchPlugin {
    @Override public String id() { return "model-select"; }

    @Override public String title() { return "Model selection"; }
    @Override public java.net.URL icon() { return ModelSelectPlugin.class.getResource("/org/layerwise/modelselect/model-select.png"); }

    @Override public String description() {
        return "Two-phase model selection: coarse recall by clustering and proxy scores, fine selection by successive halving";
    }

    @Override public int order() { return 50; }

    @Override public Node createWorkspace(WorkbenchContext context) { return new ModelSelectWorkspace(context); }

    @Override public List<Object> cliCommands() { return List.of(new org.layerwise.modelselect.cli.SelectModelCommand()); }
}
