package org.layerwise.rationale.ui;

import javafx.scene.Node;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

import java.util.List;

/** Chain-of-thought vs direct label prediction on NLU tasks; rationale-augmented training (NLURC). */
public final class RationalePlugin implements WorkbenchPlugin {
    @Override public String id() { return "rationale"; }

    @Override public String title() { return "Rationales"; }
    @Override public java.net.URL icon() { return RationalePlugin.class.getResource("/org/layerwise/rationale/rationale.png"); }

    @Override public String description() {
        return "Chain-of-thought vs direct label prediction on NLU tasks; rationale-augmented training (NLURC)";
    }

    @Override public int order() { return 30; }

    @Override public Node createWorkspace(WorkbenchContext context) { return new RationaleWorkspace(context); }

    @Override public List<Object> cliCommands() { return List.of(new org.layerwise.rationale.cli.RationaleCommand()); }
}
