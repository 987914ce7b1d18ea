package org.layerwise.app.shell;

import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.layerwise.app.Units;
import org.layerwise.app.runs.RunsBrowser;
import org.layerwise.app.runs.RunsBrowserModel;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.fx.ErrorCard;
import org.layerwise.sdk.fx.ErrorReporter;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.plugin.PluginLoadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The main window (DESIGN.md §4): workspaces on the left, the model bar on top, the current workspace in
 * the centre, its hyper-parameter sheet on the right, jobs and the log console below, a status bar.
 * Built from a {@link Workbench}, so tests can run it on fakes.
 */
public final class MainWindow {
    private static final Logger LOG = LoggerFactory.getLogger(MainWindow.class);

    private final Workbench workbench;
    private final Stage stage;
    private final Consumer<Path> openWithDesktop;
    private final RecentFolders recent;
    private final ErrorReporter errors;
    private final ModelShelf shelf;
    private final JobBoard jobBoard;
    private final LogBuffer log = LogBuffer.shared();
    private final WorkspaceSidebar sidebar;
    private final StackPane workspaceHost = new StackPane();
    private final HyperParameterPane parameterPane = new HyperParameterPane();
    private final SplitPane centreSplit = new SplitPane();
    private final TabPane bottomTabs = new TabPane();
    private final Label statusMessage = new Label();
    private final PauseTransition statusFade = new PauseTransition(Duration.seconds(10));
    private final Map<String, Node> workspaces = new HashMap<>();
    private final Map<String, PluginContext> contexts = new HashMap<>();
    private final Map<String, ParameterSet> publishedParameters = new HashMap<>();
    private final CheckMenuItem showParameters = new CheckMenuItem("Parameters");
    private final Scene scene;
    private Theme theme;
    private RunsBrowser runsBrowser;
    private WorkspaceEntry current;
    private final StringProperty currentId = new SimpleStringProperty();

    /** @param openWithDesktop opens a file or folder in the desktop's file manager (null: not available) */
    public MainWindow(Workbench workbench, Stage stage, Consumer<Path> openWithDesktop) {
        this.workbench = workbench;
        this.stage = stage;
        this.openWithDesktop = openWithDesktop != null ? openWithDesktop
                : p -> status("Opening files is not available here: " + p);
        this.theme = Theme.parse(workbench.prefs().get("theme", Theme.LIGHT.name()));
        this.recent = new RecentFolders(workbench.prefs());
        this.errors = new AlertErrorReporter(() -> stage, () -> theme);
        this.shelf = new ModelShelf(workbench.jobs(), workbench.modelLoader(), errors, recent, Platform::runLater);
        this.jobBoard = new JobBoard(workbench.jobs(), log, Platform::runLater);

        List<WorkspaceEntry> entries = workbench.plugins().stream().map(WorkspaceEntry::of).toList();
        this.sidebar = new WorkspaceSidebar(entries, this::show);

        ModelBar modelBar = new ModelBar(shelf, recent, workbench.sampleModels(), this::chooseModelFolder, this::unload);
        VBox top = new VBox(menuBar(), modelBar);

        workspaceHost.getStyleClass().add("workspace-host");
        workspaceHost.setId("workspace-host");
        parameterPane.onCollapse(() -> showParameters.setSelected(false));
        VBox.setVgrow(workspaceHost, Priority.ALWAYS);
        VBox workspaceColumn = new VBox(noModelHint(workbench.sampleModels()), workspaceHost);
        centreSplit.getItems().setAll(workspaceColumn, parameterPane);
        centreSplit.setDividerPositions(workbench.prefs().getDouble("split.parameters", 0.72));
        SplitPane.setResizableWithParent(parameterPane, false);
        showParameters.setSelected(workbench.prefs().getBoolean("parameters.visible", true));
        showParameters.selectedProperty().addListener((o, a, b) -> {
            workbench.prefs().putBoolean("parameters.visible", b);
            placeParameterPane();
        });

        bottomTabs.setId("bottom-tabs");
        bottomTabs.getStyleClass().add("bottom-tabs");
        bottomTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Tab jobsTab = new Tab("Jobs", new JobsView(jobBoard));
        jobsTab.setId("jobs-tab");
        Tab logTab = new Tab("Log", new LogConsole(log));
        logTab.setId("log-tab");
        bottomTabs.getTabs().setAll(jobsTab, logTab);
        jobBoard.onFinished(row -> {
            if (runsBrowser != null) runsBrowser.model().refresh();
        });

        SplitPane vertical = new SplitPane(centreSplit, bottomTabs);
        vertical.setOrientation(Orientation.VERTICAL);
        vertical.setDividerPositions(workbench.prefs().getDouble("split.bottom", 0.79));
        SplitPane.setResizableWithParent(bottomTabs, false);

        BorderPane root = new BorderPane();
        root.getStyleClass().add("main-window");
        root.setTop(top);
        root.setLeft(sidebar);
        root.setCenter(vertical);
        root.setBottom(statusBar());

        scene = new Scene(root);
        theme.applyTo(scene);
        stage.setScene(scene);
        stage.titleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            LanguageModel m = shelf.selected().get();
            return m == null ? "Layerwise" : "Layerwise — " + m.name();
        }, shelf.selected()));
        stage.getIcons().setAll(Icons.appIcons());
        statusFade.setOnFinished(e -> statusMessage.setText(""));

        stage.setOnHiding(e -> {
            workbench.prefs().putDouble("split.bottom", vertical.getDividerPositions()[0]);
            if (centreSplit.getItems().size() == 2) {
                workbench.prefs().putDouble("split.parameters", centreSplit.getDividerPositions()[0]);
            }
        });
        // a split's divider is relative: place them once the window has its real size (once: the stage may
        // outlive this window, as in tests that build a new one per test)
        javafx.event.EventHandler<javafx.stage.WindowEvent> placeDividers = new javafx.event.EventHandler<>() {
            @Override
            public void handle(javafx.stage.WindowEvent e) {
                stage.removeEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, this);
                Platform.runLater(() -> {
                    vertical.setDividerPositions(workbench.prefs().getDouble("split.bottom", 0.79));
                    if (centreSplit.getItems().size() == 2) {
                        centreSplit.setDividerPositions(workbench.prefs().getDouble("split.parameters", 0.72));
                    }
                });
            }
        };
        if (stage.isShowing()) placeDividers.handle(null);
        else stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, placeDividers);
        String last = workbench.prefs().get("workspace", null);
        if (last != null) sidebar.select(last);
        if (sidebar.selected() == null && !entries.isEmpty()) sidebar.select(entries.get(0).id());
        if (sidebar.selected() == null) sidebar.select(WorkspaceEntry.RUNS_ID);
    }

    public Scene scene() { return scene; }
    public ModelShelf models() { return shelf; }
    public JobBoard jobs() { return jobBoard; }
    public WorkspaceSidebar sidebar() { return sidebar; }
    public ErrorReporter errors() { return errors; }
    public Theme theme() { return theme; }

    /** The context handed to a plugin's workspace (tests submit jobs through it). */
    public WorkbenchContext context(String pluginId) {
        return contextOf(pluginId);
    }

    private PluginContext contextOf(String pluginId) {
        return contexts.computeIfAbsent(pluginId, id -> new PluginContext(id, workbench, shelf, errors,
                this::parametersPublished));
    }

    /** Selects a sidebar entry by id (a plugin id, or {@link WorkspaceEntry#RUNS_ID}). */
    public void select(String id) {
        sidebar.select(id);
    }

    public RunsBrowser runsBrowser() {
        if (runsBrowser == null) {
            List<String> ids = workbench.plugins().stream().filter(PluginLoadResult::isLoaded)
                    .map(r -> r.plugin().id()).toList();
            RunsBrowserModel model = new RunsBrowserModel(workbench.runStore(), workbench.tasks(), ids,
                    failure -> errors.report("The run store could not be read",
                            "The data folder may be on a disconnected drive or the database locked by another "
                                    + "program. Check " + workbench.dataDir() + " and press Refresh.", failure));
            runsBrowser = new RunsBrowser(model, workbench.dataDir(), openWithDesktop, this::status, () -> stage,
                    pane -> theme.applyTo(pane),
                    chart -> new FigurePanel(chart, workbench.tasks(), workbench.figures(), errors));
        }
        return runsBrowser;
    }

    private void show(WorkspaceEntry entry) {
        current = entry;
        currentId.set(entry.id());
        Node node = workspaces.computeIfAbsent(entry.id(), id -> build(entry));
        workspaceHost.getChildren().setAll(node);
        parameterPane.show(entry.isRunsBrowser() ? null : publishedParameters.get(entry.id()));
        placeParameterPane();
        workbench.prefs().put("workspace", entry.id());
        if (entry.isRunsBrowser()) runsBrowser().model().refresh();
    }

    private Node build(WorkspaceEntry entry) {
        if (entry.isRunsBrowser()) return runsBrowser();
        PluginLoadResult slot = entry.slot();
        if (!slot.isLoaded()) {
            LOG.warn("Plugin {} could not be loaded: {}", slot.provider(), slot.reason());
            return ErrorCard.forFailedPlugin(slot);
        }
        try {
            Node node = slot.plugin().createWorkspace(contextOf(entry.id()));
            if (node == null) throw new IllegalStateException(slot.provider() + ".createWorkspace returned no view");
            StackPane wrap = new StackPane(node);
            wrap.getStyleClass().add("workspace");
            return wrap;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Workspace {} failed to open", entry.id(), e);
            return ErrorCard.forFailedWorkspace(entry.title(), e);
        }
    }

    /**
     * A strip above the workspace while no model is loaded (and none is loading): what to do next, with
     * the sample fact model one click away. Hidden in the runs browser, which needs no model.
     */
    private Node noModelHint(List<Path> samples) {
        Label text = new Label("No model loaded. Workspaces run on the model selected in the model bar.");
        text.setMinWidth(0);
        HBox strip = new HBox(10, Icons.view(Icons.url("layerwise"), 18), text);
        FirstRun.startupSample(samples).ifPresent(sample -> {
            Button open = new Button("Open the sample model " + sample.getFileName());
            open.setId("open-sample-model");
            open.getStyleClass().add("accent");
            open.setOnAction(e -> shelf.load(sample));
            strip.getChildren().add(open);
        });
        Button folder = new Button("Open model folder…");
        folder.setOnAction(e -> chooseModelFolder());
        strip.getChildren().add(folder);
        strip.setId("no-model-hint");
        strip.getStyleClass().add("no-model-hint");
        strip.setAlignment(Pos.CENTER_LEFT);
        BooleanBinding visible = Bindings.createBooleanBinding(
                // read currentId itself (not the current field): a property never read sends no further invalidations
                () -> shelf.all().isEmpty() && shelf.loadingProperty().get() == null
                        && !WorkspaceEntry.RUNS_ID.equals(currentId.get()),
                shelf.all(), shelf.loadingProperty(), currentId);
        strip.visibleProperty().bind(visible);
        strip.managedProperty().bind(visible);
        return strip;
    }

    private void parametersPublished(String pluginId, ParameterSet parameters) {
        publishedParameters.put(pluginId, parameters);
        if (current != null && pluginId.equals(current.id())) parameterPane.show(parameters);
    }

    /** The sheet shows when the user wants it and the view has parameters (the runs browser has none). */
    private void placeParameterPane() {
        boolean visible = showParameters.isSelected() && (current == null || !current.isRunsBrowser());
        if (visible && !centreSplit.getItems().contains(parameterPane)) {
            centreSplit.getItems().add(parameterPane);
            centreSplit.setDividerPositions(workbench.prefs().getDouble("split.parameters", 0.72));
        } else if (!visible && centreSplit.getItems().contains(parameterPane)) {
            workbench.prefs().putDouble("split.parameters", centreSplit.getDividerPositions()[0]);
            centreSplit.getItems().remove(parameterPane);
        }
    }

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("Open model folder…");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> chooseModelFolder());
        Menu recentMenu = new Menu("Recent models");
        Runnable fillRecent = () -> {
            recentMenu.getItems().clear();
            for (Path p : recent.folders()) {
                MenuItem item = new MenuItem(p.toString());
                item.setMnemonicParsing(false);
                item.setOnAction(e -> shelf.load(p));
                recentMenu.getItems().add(item);
            }
            for (Path p : workbench.sampleModels()) {
                if (recent.folders().contains(p)) continue;
                MenuItem item = new MenuItem(p.getFileName() + " (sample)");
                item.setMnemonicParsing(false);
                item.setOnAction(e -> shelf.load(p));
                recentMenu.getItems().add(item);
            }
            recentMenu.setDisable(recentMenu.getItems().isEmpty());
        };
        recent.folders().addListener((javafx.collections.ListChangeListener<Path>) c -> fillRecent.run());
        fillRecent.run();
        MenuItem unloadItem = new MenuItem("Unload model");
        unloadItem.setOnAction(e -> unload(shelf.selected().get()));
        unloadItem.disableProperty().bind(shelf.selected().isNull());
        MenuItem dataFolder = new MenuItem("Data folder…");
        dataFolder.setOnAction(e -> new DataFolderDialog(workbench.dataDir(), openWithDesktop, stage, theme).show());
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> requestQuit());
        Menu file = new Menu("File", null, open, recentMenu, unloadItem, new SeparatorMenuItem(), dataFolder,
                new SeparatorMenuItem(), quit);

        ToggleGroup themes = new ToggleGroup();
        RadioMenuItem light = new RadioMenuItem("Light theme");
        RadioMenuItem dark = new RadioMenuItem("Dark theme");
        light.setToggleGroup(themes);
        dark.setToggleGroup(themes);
        (theme == Theme.DARK ? dark : light).setSelected(true);
        light.setOnAction(e -> setTheme(Theme.LIGHT));
        dark.setOnAction(e -> setTheme(Theme.DARK));
        MenuItem runs = new MenuItem("Runs browser");
        runs.setAccelerator(KeyCombination.keyCombination("Shortcut+R"));
        runs.setOnAction(e -> select(WorkspaceEntry.RUNS_ID));
        MenuItem jobsItem = new MenuItem("Jobs");
        jobsItem.setOnAction(e -> bottomTabs.getSelectionModel().select(0));
        MenuItem logItem = new MenuItem("Log");
        logItem.setOnAction(e -> bottomTabs.getSelectionModel().select(1));
        Menu view = new Menu("View", null, light, dark, new SeparatorMenuItem(), runs, showParameters, jobsItem, logItem);

        MenuItem about = new MenuItem("About Layerwise");
        about.setOnAction(e -> showAbout());
        Menu help = new Menu("Help", null, about);
        MenuBar bar = new MenuBar(file, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private Node statusBar() {
        statusMessage.setId("status-message");
        statusMessage.getStyleClass().add("status-message");
        Label data = new Label("Data: " + workbench.dataDir());
        data.getStyleClass().add("muted");
        Label heap = new Label();
        heap.getStyleClass().add("muted");
        javafx.animation.Timeline t = new javafx.animation.Timeline(new javafx.animation.KeyFrame(Duration.seconds(2), e -> {
            Runtime rt = Runtime.getRuntime();
            heap.setText("Heap " + Units.bytes(rt.totalMemory() - rt.freeMemory()) + " / " + Units.bytes(rt.maxMemory()));
        }));
        t.setCycleCount(javafx.animation.Animation.INDEFINITE);
        t.play();
        Runtime rt = Runtime.getRuntime();
        heap.setText("Heap " + Units.bytes(rt.totalMemory() - rt.freeMemory()) + " / " + Units.bytes(rt.maxMemory()));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(16, statusMessage, gap, data, heap);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    /** A short message in the status bar that fades after a few seconds (also logged). */
    public void status(String message) {
        Runnable show = () -> {
            statusMessage.setText(message);
            statusFade.playFromStart();
        };
        if (Platform.isFxApplicationThread()) show.run();
        else Platform.runLater(show);
        LOG.info(message);
    }

    public void setTheme(Theme t) {
        theme = t;
        t.applyTo(scene);
        workbench.prefs().put("theme", t.name());
    }

    /** Help → About: versions of Java, JavaFX, DJL, PyTorch and the device. */
    public void showAbout() {
        new AboutDialog(workbench.dataDir(), workbench.tasks(), stage, theme).show();
    }

    public void chooseModelFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a Hugging Face model folder");
        File initial = recent.lastFolder();
        if (initial != null) chooser.setInitialDirectory(initial);
        File dir = chooser.showDialog(stage);
        if (dir == null) return;
        recent.rememberLastFolder(dir.toPath().getParent());
        shelf.load(dir.toPath());
    }

    private void unload(LanguageModel model) {
        if (model == null) return;
        long running = jobBoard.runningCount();
        if (running > 0) {
            Alert ask = new Alert(Alert.AlertType.CONFIRMATION);
            ask.initOwner(stage);
            theme.applyTo(ask.getDialogPane());
            ask.setHeaderText("Unload " + model.name() + " while " + running + " job(s) run?");
            ask.setContentText("A job that uses this model will fail. Cancel it first, or wait for it to finish.");
            if (ask.showAndWait().filter(b -> b == ButtonType.OK).isEmpty()) return;
        }
        shelf.unload(model);
        status("Unloaded " + model.name());
    }

    private void requestQuit() {
        if (confirmQuit()) stage.close();
    }

    /** Asks before quitting with jobs running (their runs are then recorded as cancelled). */
    public boolean confirmQuit() {
        long running = jobBoard.runningCount();
        if (running == 0) return true;
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION);
        ask.initOwner(stage);
        theme.applyTo(ask.getDialogPane());
        ask.setHeaderText(running + " job(s) are still running");
        ask.setContentText("Quitting cancels them; their runs are recorded as cancelled and no half-written file is kept.");
        return ask.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    /** Cancels jobs and closes models (on exit). */
    public void shutdown() {
        for (JobRow r : jobBoard.rows()) if (!r.state().isDone()) r.cancel();
        shelf.closeAll();
    }
}
