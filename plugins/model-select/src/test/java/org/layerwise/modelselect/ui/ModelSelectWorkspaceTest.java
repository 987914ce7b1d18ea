package org.layerwise.modelselect.ui;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.modelselect.method.SelectionComparison;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Opening the paper's NLP matrix fills the table and the dendrogram; a simulated run fills the comparison. */
@ExtendWith(ApplicationExtension.class)
class ModelSelectWorkspaceTest {
    private ModelSelectWorkspace workspace;
    private TestContext context;

    @Start
    void start(Stage stage) throws Exception {
        context = new TestContext(Files.createTempDirectory("model-select-ui"));
        workspace = new ModelSelectWorkspace(context);
        stage.setScene(new Scene(workspace, 1200, 800));
        stage.show();
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void openClusterAndRunASimulation(FxRobot robot) throws Exception {
        Path nlp = org.layerwise.modelselect.method.GoldenClustersTestAccess.paper().resolve("nlp");
        robot.interact(() -> workspace.open(nlp));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(context.errors).isEmpty();
        assertThat(workspace.repositoryTable().getItems()).hasSize(39);
        assertThat(workspace.repositoryTable().getItems().stream().filter(ModelSelectWorkspace.ModelRow::recalled)).hasSize(15);
        XYPlot tree = workspace.dendrogramFigure().getChart().getXYPlot();
        assertThat(tree.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).hasSize(1);    // the threshold line
        assertThat(tree.getDataset().getSeriesCount()).isEqualTo(38);                        // one per merge

        robot.interact(() -> workspace.targetBox().setValue("cola"));
        var job = new java.util.concurrent.atomic.AtomicReference<org.layerwise.engine.jobs.JobHandle<?>>();
        robot.interact(() -> job.set(workspace.runSelection()));
        job.get().result().get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(workspace.comparisonTable().getItems()).extracting(SelectionComparison.Row::strategy)
                .containsExactly(SelectionComparison.TWO_PHASE, SelectionComparison.RECALL_HALVING, SelectionComparison.PLAIN, SelectionComparison.BRUTE);
        assertThat(workspace.halvingFigure().getChart().getXYPlot().getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).isNotEmpty();
        assertThat(job.get().runId()).isPositive();                                          // recorded in the run store
    }
}
