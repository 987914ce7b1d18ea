package org.layerwise.builder.ui;

import javafx.scene.Node;
import org.layerwise.builder.cli.PretrainCommand;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

import java.util.List;

/** The model builder: compose a model from registries, pretrain it, open it in the model bar. */
public final class BuilderPlugin implements WorkbenchPlugin {
    @Override public String id() { return "builder"; }

    @Override public String title() { return "Model builder"; }
    @Override public java.net.URL icon() { return BuilderPlugin.class.getResource("/org/layerwise/builder/builder.png"); }

    @Override public String description() {
        return "Compose a model from embedding, encoder, decoder and target components; pretrain it on a corpus";
    }

    @Override public int order() { return 90; }

    @Override public Node createWorkspace(WorkbenchContext context) { return new BuilderWorkspace(context); }

    @Override public List<Object> cliCommands() { return List.of(new PretrainCommand()); }
}
