package org.layerwise.promptopt.ui;

import javafx.scene.Node;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;
import org.layerwise.promptopt.cli.OptimizePromptCommand;

import java.util.List;

/** GRACE prompt optimisation with gated refinement and adaptive compression, shown as traces. */
public final class PromptOptPlugin implements WorkbenchPlugin {
    @Override public String id() { return "prompt-opt"; }

    @Override public String title() { return "Prompt optimisation"; }
    @Override public java.net.URL icon() { return PromptOptPlugin.class.getResource("/org/layerwise/promptopt/prompt-opt.png"); }

    @Override public String description() {
        return "GRACE prompt optimisation with gated refinement and adaptive compression, shown as traces";
    }

    @Override public int order() { return 40; }

    @Override public Node createWorkspace(WorkbenchContext context) { return new PromptOptWorkspace(context); }

    @Override public List<Object> cliCommands() { return List.of(new OptimizePromptCommand()); }
}
