package org.layerwise.sdk;

import javafx.scene.Node;

import java.net.URL;
import java.util.List;

/**
 * A workspace of the workbench, found by {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/org.layerwise.sdk.WorkbenchPlugin}).
 * A plugin never imports another plugin; what two share lives in the sdk or the engine.
 */
public interface WorkbenchPlugin {
    /** Stable id, also the run store's plugin column (e.g. "probe-edit"). */
    String id();

    /** Title in the sidebar (e.g. "Probe & edit"). */
    String title();

    /** One line for the sidebar tooltip and the empty state. */
    default String description() { return ""; }

    /** An icon resource (PNG, ideally 32 px or larger), or null for the default. */
    default URL icon() { return null; }

    /** Order in the sidebar, smaller first. */
    default int order() { return 100; }

    /** Builds the workspace on the FX thread; heavy work goes through {@link WorkbenchContext#tasks()}. */
    Node createWorkspace(WorkbenchContext context);

    /** picocli command objects (annotated with {@code @Command}) added to {@code ./layerwise}. */
    default List<Object> cliCommands() { return List.of(); }
}
