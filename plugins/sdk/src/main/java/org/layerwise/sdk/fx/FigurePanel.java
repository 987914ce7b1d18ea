package org.layerwise.sdk.fx;

import javafx.beans.binding.Bindings;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.FigureExport.Format;
import org.layerwise.sdk.FigureExport.Width;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.figure.ChartFigureExport;
import org.layerwise.sdk.fx.FigureSizeDialog.FigureSize;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.prefs.Preferences;

/**
 * The chart panel every workspace uses: a JFreeChart viewer (zoom, pan, tooltips) whose right-click menu exports
 * the figure as PDF, SVG or PNG at a paper column width, copies it to the clipboard, or saves its data as CSV.
 * Exports run off the FX thread on a snapshot of the chart, so the view stays responsive and can keep changing.
 * <p>
 * Charts are shared with the export thread only through snapshots, but their datasets are shared as they are:
 * replace a dataset ({@code plot.setDataset(...)} or {@link #setChart}) rather than mutate it while exporting.
 * The export folder, width and DPI are remembered in the preferences node {@value #PREFERENCES_NODE}.
 */
public class FigurePanel extends StackPane {
    public static final String PREFERENCES_NODE = "org/layerwise/figures";
    public static final double DEFAULT_ASPECT = 0.75;
    private static final String LAST_FOLDER = "lastFolder";
    private static final String LAST_WIDTH = "width";
    private static final String LAST_DPI = "dpi";

    private final ChartViewer viewer;
    private final Label placeholder = new Label("No figure yet");
    private final ContextMenu menu = new ContextMenu();
    private final ObjectProperty<JFreeChart> chart = new SimpleObjectProperty<>(this, "chart");
    private final DoubleProperty aspect = new SimpleDoubleProperty(this, "aspect", DEFAULT_ASPECT);
    private final StringProperty figureName = new SimpleStringProperty(this, "figureName");
    private final ReadOnlyBooleanWrapper exporting = new ReadOnlyBooleanWrapper(this, "exporting");
    private final TaskExecutor tasks;
    private final FigureExport export;
    private final ErrorReporter errors;
    private final Preferences preferences;
    private int running;
    private Consumer<Path> onExported = path -> { };

    /** A panel wired to the workbench: its task executor, figure export and error reporting. */
    public FigurePanel(WorkbenchContext context, JFreeChart chart) {
        this(chart, context.tasks(), context.figures(), context::showError);
    }

    public FigurePanel(JFreeChart chart, TaskExecutor tasks, FigureExport export, ErrorReporter errors) {
        this(chart, tasks, export, errors, Preferences.userRoot().node(PREFERENCES_NODE));
    }

    public FigurePanel(JFreeChart chart, TaskExecutor tasks, FigureExport export, ErrorReporter errors,
                       Preferences preferences) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.export = Objects.requireNonNull(export, "export");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.preferences = Objects.requireNonNull(preferences, "preferences");
        getStyleClass().add("figure-panel");
        // false: our menu, not JFreeChart's (which needs GPL exporters); the viewer cannot hold null, see blank()
        viewer = new ChartViewer(chart != null ? chart : blank(), false);
        placeholder.getStyleClass().add("figure-placeholder");
        getChildren().addAll(viewer, placeholder);
        buildMenu();
        viewer.setOnContextMenuRequested(e -> {
            showMenu(e.getScreenX(), e.getScreenY());
            e.consume();
        });
        // platforms without context-menu events (Monocle, some touch screens) still get the menu on right-release
        viewer.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            if (e.getButton() == MouseButton.SECONDARY && !menu.isShowing()) {
                showMenu(e.getScreenX(), e.getScreenY());
            }
        });
        this.chart.addListener((obs, old, now) -> {
            viewer.setChart(now != null ? now : blank());
            showPlaceholder(now == null);
        });
        this.chart.set(chart);
        showPlaceholder(chart == null);
    }

    private void showMenu(double screenX, double screenY) {
        if (getChart() != null) {
            menu.show(viewer, screenX, screenY);
        }
    }

    /** Stands in for "no chart" (hidden behind the placeholder); one per use, as the viewer listens to it. */
    private static JFreeChart blank() {
        return new JFreeChart(new XYPlot());
    }

    private void showPlaceholder(boolean empty) {
        placeholder.setVisible(empty);
        viewer.setVisible(!empty);
    }

    private void buildMenu() {
        MenuItem pdf = item("Export PDF…", "export-pdf", () -> exportInteractively(Format.PDF));
        MenuItem svg = item("Export SVG…", "export-svg", () -> exportInteractively(Format.SVG));
        MenuItem png = item("Export PNG…", "export-png", () -> exportInteractively(Format.PNG));
        MenuItem copy = item("Copy to clipboard", "copy-figure", this::copyToClipboard);
        MenuItem csv = item("Save data as CSV…", "export-csv", () -> exportInteractively(Format.CSV));
        menu.getItems().setAll(pdf, svg, png, new SeparatorMenuItem(), copy, new SeparatorMenuItem(), csv);
    }

    private MenuItem item(String text, String id, Runnable action) {
        MenuItem item = new MenuItem(text);
        item.setId(id);
        item.setOnAction(e -> action.run());
        item.disableProperty().bind(Bindings.isNull(chart));
        return item;
    }

    /** The chart shown, or null. */
    public JFreeChart getChart() { return chart.get(); }

    /** Replaces the chart (FX thread). */
    public void setChart(JFreeChart chart) { this.chart.set(chart); }

    public ObjectProperty<JFreeChart> chartProperty() { return chart; }

    /** Height/width of exported figures (default 0.75). */
    public DoubleProperty aspectProperty() { return aspect; }

    public double getAspect() { return aspect.get(); }

    public void setAspect(double value) { aspect.set(value); }

    /** File name (without extension) suggested on export; defaults to the chart's title. */
    public StringProperty figureNameProperty() { return figureName; }

    /** True while an export or clipboard copy is running. */
    public ReadOnlyBooleanProperty exportingProperty() { return exporting.getReadOnlyProperty(); }

    /** Called on the FX thread with each file an export wrote (e.g. for the log console). */
    public void setOnExported(Consumer<Path> handler) {
        this.onExported = handler == null ? path -> { } : handler;
    }

    /** The right-click menu (export items have ids export-pdf, export-svg, export-png, copy-figure, export-csv). */
    public ContextMenu getExportMenu() { return menu; }

    /** The JFreeChart viewer, e.g. to add chart mouse listeners. */
    public ChartViewer getViewer() { return viewer; }

    /** Asks for the size and the file, then exports in the background. */
    public void exportInteractively(Format format) {
        if (getChart() == null) {
            return;
        }
        FigureSize last = lastSize();
        Optional<FigureSize> size = format == Format.CSV ? Optional.of(last) : chooseSize(format, last);
        if (size.isEmpty()) {
            return;
        }
        rememberSize(size.get());
        Optional<Path> file = chooseFile(format, suggestedName());
        if (file.isEmpty()) {
            return;
        }
        Path parent = file.get().toAbsolutePath().getParent();
        if (parent != null) {
            preferences.put(LAST_FOLDER, parent.toString());
        }
        exportTo(format, size.get().width(), size.get().dpi(), file.get());
    }

    /**
     * Exports the current chart to target off the FX thread. The future completes on the FX thread with the file
     * written, or exceptionally after the error was reported.
     */
    public CompletableFuture<Path> exportTo(Format format, Width width, int dpi, Path target) {
        CompletableFuture<Path> done = new CompletableFuture<>();
        JFreeChart current = getChart();
        if (current == null) {
            done.completeExceptionally(new IllegalStateException("no chart to export"));
            return done;
        }
        JFreeChart snapshot;
        try {
            snapshot = ChartFigureExport.snapshot(current); // on the FX thread, where the chart changes
        } catch (IOException e) {
            report("Could not export " + target.getFileName(), e);
            done.completeExceptionally(e);
            return done;
        }
        double ratio = getAspect();
        started();
        tasks.execute(() -> {
            try {
                export.export(snapshot, format, width, ratio, dpi, target);
                return target;
            } finally {
                ChartFigureExport.release(snapshot);
            }
        }, path -> {
            finished();
            onExported.accept(path);
            done.complete(path);
        }, error -> {
            finished();
            report("Could not export " + target.getFileName(), error);
            done.completeExceptionally(error);
        });
        return done;
    }

    /** Puts the figure, as a bitmap at the last PNG size and DPI, on the system clipboard. */
    public CompletableFuture<Image> copyToClipboard() {
        CompletableFuture<Image> done = new CompletableFuture<>();
        JFreeChart current = getChart();
        if (current == null) {
            done.completeExceptionally(new IllegalStateException("no chart to copy"));
            return done;
        }
        JFreeChart snapshot;
        try {
            snapshot = ChartFigureExport.snapshot(current);
        } catch (IOException e) {
            report("Could not copy the figure", e);
            done.completeExceptionally(e);
            return done;
        }
        FigureSize size = lastSize();
        double ratio = getAspect();
        started();
        tasks.execute(() -> {
            try {
                return render(snapshot, size, ratio);
            } finally {
                ChartFigureExport.release(snapshot);
            }
        }, image -> {
            finished();
            Image fx = SwingFXUtils.toFXImage(image, null);
            ClipboardContent content = new ClipboardContent();
            content.putImage(fx);
            Clipboard.getSystemClipboard().setContent(content);
            done.complete(fx);
        }, error -> {
            finished();
            report("Could not copy the figure", error);
            done.completeExceptionally(error);
        });
        return done;
    }

    private BufferedImage render(JFreeChart snapshot, FigureSize size, double ratio) throws IOException {
        if (export instanceof ChartFigureExport charts) {
            return charts.renderImage(snapshot, size.width(), ratio, size.dpi());
        }
        // any other FigureExport: go through a PNG file
        Path temp = Files.createTempFile("layerwise-figure", ".png");
        try {
            export.export(snapshot, Format.PNG, size.width(), ratio, size.dpi(), temp);
            BufferedImage image = ImageIO.read(temp.toFile());
            if (image == null) {
                throw new IOException("the exported PNG could not be read back");
            }
            return image;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Asks for width (and DPI for PNG); empty when cancelled. Tests and embedders may override. */
    protected Optional<FigureSize> chooseSize(Format format, FigureSize initial) {
        FigureSizeDialog dialog = new FigureSizeDialog(format.name(), format == Format.PNG, initial);
        Window owner = getScene() == null ? null : getScene().getWindow();
        if (owner != null) {
            dialog.initOwner(owner);
        }
        return dialog.showAndWait();
    }

    /** Asks where to save; empty when cancelled. Tests and embedders may override. */
    protected Optional<Path> chooseFile(Format format, String suggestedName) {
        String extension = ChartFigureExport.extension(format);
        FileChooser chooser = new FileChooser();
        chooser.setTitle(format == Format.CSV ? "Save figure data as CSV" : "Export figure as " + format.name());
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(
                format.name() + " files (*." + extension + ")", "*." + extension));
        chooser.setInitialFileName(suggestedName + "." + extension);
        lastFolder().ifPresent(folder -> chooser.setInitialDirectory(folder.toFile()));
        File file = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (file == null) {
            return Optional.empty();
        }
        Path path = file.toPath();
        // GTK choosers do not always append the filter's extension
        if (!path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith("." + extension)) {
            path = path.resolveSibling(path.getFileName() + "." + extension);
        }
        return Optional.of(path);
    }

    /** The folder of the last export, if it still exists. */
    public Optional<Path> lastFolder() {
        String folder = preferences.get(LAST_FOLDER, null);
        if (folder == null) {
            return Optional.empty();
        }
        Path path = Path.of(folder);
        return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }

    /** The last chosen width and DPI (single column, 300 DPI at first). */
    public FigureSize lastSize() {
        Width width;
        try {
            width = Width.valueOf(preferences.get(LAST_WIDTH, Width.SINGLE_COLUMN.name()));
        } catch (IllegalArgumentException e) {
            width = Width.SINGLE_COLUMN;
        }
        int dpi = preferences.getInt(LAST_DPI, 300);
        return new FigureSize(width, FigureSizeDialog.DPI_CHOICES.contains(dpi) ? dpi : 300);
    }

    private void rememberSize(FigureSize size) {
        preferences.put(LAST_WIDTH, size.width().name());
        preferences.putInt(LAST_DPI, size.dpi());
    }

    String suggestedName() {
        String name = figureName.get();
        if ((name == null || name.isBlank()) && getChart() != null && getChart().getTitle() != null) {
            name = getChart().getTitle().getText();
        }
        if (name == null || name.isBlank()) {
            return "figure";
        }
        String safe = name.trim().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("(^-+|-+$)", "");
        return safe.isEmpty() ? "figure" : safe;
    }

    private void started() {
        running++;
        exporting.set(true);
    }

    private void finished() {
        running = Math.max(0, running - 1);
        exporting.set(running > 0);
    }

    private void report(String title, Throwable error) {
        Throwable cause = error.getCause() != null && !(error instanceof IOException) ? error.getCause() : error;
        String what = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        boolean fileProblem = cause instanceof FileSystemException || cause instanceof FileNotFoundException
                || what.contains("folder");
        String advice = fileProblem ? "Check that the folder exists and can be written to, then try again."
                : "Try another format; if it keeps failing, report it with the log.";
        errors.report(title, what + (what.endsWith(".") ? " " : ". ") + advice, error);
    }
}
