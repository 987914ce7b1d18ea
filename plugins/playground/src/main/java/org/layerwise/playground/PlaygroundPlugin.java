package org.layerwise.playground;

import javafx.scene.Node;
import org.layerwise.playground.ui.PlaygroundWorkspace;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

import java.net.URL;

/** The playground: type a prompt, see the next-token distribution and a generation. */
public final class PlaygroundPlugin implements WorkbenchPlugin {
    public static final String ID = "playground";

    @Override public String id() { return ID; }
    @Override public String title() { return "Playground"; }
    @Override public String description() { return "Type a prompt; see the next-token distribution and a generation"; }
    @Override public URL icon() { return PlaygroundPlugin.class.getResource("playground.png"); }
    @Override public int order() { return 10; }

    @Override
    public Node createWorkspace(WorkbenchContext context) {
        return new PlaygroundWorkspace(context);
    }
}
