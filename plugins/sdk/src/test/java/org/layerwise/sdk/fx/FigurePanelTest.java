package org.layerwise.sdk.fx;

import javafx.scene.Scene;
import javafx.scene.control.MenuItem;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.sdk.FigureExport.Format;
import org.layerwise.sdk.FigureExport.Width;
import org.layerwise.sdk.figure.ChartFigureExport;
import org.layerwise.sdk.figure.LineFigures;
import org.layerwise.sdk.fx.FigureSizeDialog.FigureSize;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(ApplicationExtension.class)
class FigurePanelTest {
    private final Preferences preferences = Preferences.userRoot().node("org/layerwise/test/" + UUID.randomUUID());
    private final List<String> reported = new CopyOnWriteArrayList<>();
    private final FxTaskExecutor tasks = new FxTaskExecutor(1);
    private FigurePanel panel;
    private Path chosenFile;

    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        JFreeChart chart = LineFigures.builder("Accuracy by layer", "Layer", "Accuracy")
                .series("edit", new double[]{0.1, 0.5, 0.9}).build();
        panel = new FigurePanel(chart, tasks, new ChartFigureExport(),
                (title, whatToDo, cause) -> reported.add(title + " | " + whatToDo), preferences) {
            @Override
            protected Optional<FigureSize> chooseSize(Format format, FigureSize initial) {
                return Optional.of(new FigureSize(Width.DOUBLE_COLUMN, 150));
            }

            @Override
            protected Optional<Path> chooseFile(Format format, String suggestedName) {
                return Optional.ofNullable(chosenFile);
            }
        };
        stage.setScene(new Scene(panel, 480, 360));
        stage.show();
    }

    @AfterEach
    void cleanUp() throws BackingStoreException {
        tasks.close();
        preferences.removeNode();
    }

    @Test
    void contextMenuOffersEveryExport(FxRobot robot) {
        assertThat(panel.getExportMenu().getItems().stream().map(MenuItem::getText).filter(t -> t != null))
                .containsExactly("Export PDF…", "Export SVG…", "Export PNG…", "Copy to clipboard",
                        "Save data as CSV…");

        robot.rightClickOn(panel);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(panel.getExportMenu().isShowing()).isTrue();
        assertThat(robot.lookup("Export PNG…").tryQuery()).isPresent();
        robot.interact(() -> panel.getExportMenu().hide());
    }

    @Test
    void exportsOffTheFxThreadAndReportsTheFile() throws Exception {
        List<Boolean> onFxThread = new CopyOnWriteArrayList<>();
        panel.setOnExported(p -> onFxThread.add(javafx.application.Platform.isFxApplicationThread()));
        Path png = dir.resolve("fig.png");

        Path written = WaitForAsyncUtils.asyncFx(() -> panel.exportTo(Format.PNG, Width.SINGLE_COLUMN, 150, png))
                .get(10, TimeUnit.SECONDS).get(20, TimeUnit.SECONDS);

        assertThat(written).isEqualTo(png);
        assertThat(Files.size(png)).isPositive();
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(525);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFxThread).containsExactly(true);
        assertThat(reported).isEmpty();
    }

    @Test
    void menuExportUsesTheChosenSizeAndRemembersTheFolder(FxRobot robot) throws Exception {
        chosenFile = dir.resolve("chosen.pdf");
        List<Path> exported = new CopyOnWriteArrayList<>();
        panel.setOnExported(exported::add);

        robot.interact(() -> panel.exportInteractively(Format.PDF));
        waitUntil(() -> !exported.isEmpty());

        assertThat(exported).containsExactly(chosenFile);
        try (var doc = org.apache.pdfbox.Loader.loadPDF(chosenFile.toFile())) {
            assertThat(doc.getPage(0).getMediaBox().getWidth()).isEqualTo(7f * 72);
        }
        assertThat(panel.lastFolder()).contains(dir);
        assertThat(panel.lastSize()).isEqualTo(new FigureSize(Width.DOUBLE_COLUMN, 150));
    }

    @Test
    void failedExportIsReportedAndLeavesNothing() throws Exception {
        Path target = dir.resolve("missing-folder/fig.svg");
        var future = WaitForAsyncUtils.asyncFx(() -> panel.exportTo(Format.SVG, Width.SINGLE_COLUMN, 300, target))
                .get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(reported).singleElement().asString()
                .contains("Could not export fig.svg").contains("does not exist").contains("folder");
        assertThat(Files.list(dir)).isEmpty();
        assertThat(panel.exportingProperty().get()).isFalse();
    }

    @Test
    void copyPutsAnImageOnTheClipboard() throws Exception {
        Image image = WaitForAsyncUtils.asyncFx(() -> panel.copyToClipboard())
                .get(10, TimeUnit.SECONDS).get(20, TimeUnit.SECONDS);
        assertThat(image.getWidth()).isEqualTo(3.5 * 300);
        boolean onClipboard = WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().hasImage())
                .get(10, TimeUnit.SECONDS);
        assertThat(onClipboard).isTrue();
    }

    @Test
    void withoutAChartTheMenuIsDisabled(FxRobot robot) {
        robot.interact(() -> panel.setChart(null));
        assertThat(panel.getExportMenu().getItems()).filteredOn(i -> i.getText() != null)
                .allMatch(MenuItem::isDisable);
        JFreeChart next = LineFigures.builder("Next", "x", "y").series("s", new double[]{1, 2}).build();
        robot.interact(() -> panel.setChart(next));
        assertThat(panel.getViewer().getChart()).isSameAs(next);
        assertThat(panel.getExportMenu().getItems()).filteredOn(i -> i.getText() != null)
                .noneMatch(MenuItem::isDisable);
    }

    @Test
    void suggestsAFileNameFromTheTitle() {
        assertThat(panel.suggestedName()).isEqualTo("Accuracy-by-layer");
        panel.figureNameProperty().set("lens / layer 3");
        assertThat(panel.suggestedName()).isEqualTo("lens-layer-3");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition::getAsBoolean);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
