package org.layerwise.probeedit.ui;

import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

import java.util.List;

/** Contrast probe of the layers; JEEP, ROME, MEMIT and PMET knowledge editing and edit evaluation. */
public final class ProbeEditPlugin implements WorkbenchPlugin {
    @Override public String id() { return "probe-edit"; }

    @Override public String title() { return "Probe & edit"; }
    @Override public java.net.URL icon() { return ProbeEditPlugin.class.getResource("/org/layerwise/probeedit/probe-edit.png"); }

    @Override public String description() {
        return "Contrast probe of the layers; JEEP, ROME, MEMIT and PMET knowledge editing and edit evaluation";
    }

    @Override public int order() { return 10; }

    @Override public Node createWorkspace(WorkbenchContext context) {
        Tab probe = new Tab("Probe", new ProbePanel(context));
        Tab edit = new Tab("Edit", new EditPanel(context));
        TabPane tabs = new TabPane(probe, edit);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        return tabs;
    }

    @Override public List<Object> cliCommands() {
        return List.of(new org.layerwise.probeedit.cli.ProbeCommand(), new org.layerwise.probeedit.cli.EditCommand(),
                new org.layerwise.probeedit.cli.EvalEditsCommand());
    }
}
