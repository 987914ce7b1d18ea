package org.layerwise.sdk.fx;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;
import org.layerwise.sdk.plugin.PluginLoadResult;
import org.testfx.api.FxToolkit;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorCardTest {
    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    private static WorkbenchPlugin plugin(RuntimeException thrown) {
        return new WorkbenchPlugin() {
            @Override public String id() { return "lens"; }
            @Override public String title() { return "Logit lens"; }
            @Override public Node createWorkspace(WorkbenchContext context) {
                if (thrown != null) {
                    throw thrown;
                }
                return new Label("lens");
            }
        };
    }

    @Test
    void aThrowingWorkspaceBecomesAnErrorCard() throws Exception {
        Node node = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> ErrorCard.createWorkspace(
                plugin(new IllegalStateException("no model selected")), null)).get(10, TimeUnit.SECONDS);
        assertThat(node).isInstanceOf(ErrorCard.class);
        ErrorCard card = (ErrorCard) node;
        assertThat(card.heading()).isEqualTo("Workspace Logit lens could not be opened");
        assertThat(card.reason()).contains("no model selected");
        assertThat(card.whatToDo()).contains("other workspaces work");
    }

    @Test
    void aWorkingWorkspaceIsReturnedAsIs() throws Exception {
        Node node = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> ErrorCard.createWorkspace(plugin(null), null))
                .get(10, TimeUnit.SECONDS);
        assertThat(node).isInstanceOf(Label.class);
    }

    @Test
    void aFailedPluginNamesItsProvider() throws Exception {
        PluginLoadResult failed = PluginLoadResult.failed("com.example.lens.LensPlugin",
                "Its class was not found.", null);
        ErrorCard card = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> ErrorCard.forFailedPlugin(failed))
                .get(10, TimeUnit.SECONDS);
        assertThat(card.heading()).isEqualTo("Workspace LensPlugin could not be loaded");
        assertThat(card.whatToDo()).contains("com.example.lens.LensPlugin");
    }
}
