package org.layerwise.flatness.ui;

import javafx.scene.Node;
import org.layerwise.flatness.cli.ContinualCommand;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

import java.util.List;

/** Continual learning that creates and finds flatness (C&F), with loss-landscape and Hessian views. */
public final class FlatnessPlugin implements WorkbenchPlugin {
    @Override public String id() { return "flatness"; }

    @Override public String title() { return "Flatness"; }
    @Override public java.net.URL icon() { return FlatnessPlugin.class.getResource("/org/layerwise/flatness/flatness.png"); }

    @Override public String description() {
        return "Continual learning that creates and finds flatness (C&F), with loss-landscape and Hessian views";
    }

    @Override public int order() { return 20; }

    @Override public Node createWorkspace(WorkbenchContext context) { return new FlatnessWorkspace(context); }

    @Override public List<Object> cliCommands() { return List.of(new ContinualCommand(), new org.layerwise.flatness.cli.LandscapeCommand()); }
}
