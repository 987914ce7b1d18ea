package org.layerwise.app.runs;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.jfree.chart.JFreeChart;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The runs browser: every recorded run in a filterable table; open one (parameters, metrics chart,
 * artifacts, traces), compare two (their shared metrics on one chart), delete, export a bundle.
 */
public final class RunsBrowser extends BorderPane {
    private final RunsBrowserModel model;
    private final TableView<RunRecord> table = new TableView<>();
    private final StackPane details = new StackPane();
    private final Path dataDir;
    private final Consumer<Path> openFile;
    private final Consumer<String> notify;
    private final Supplier<Window> owner;
    private final Consumer<javafx.scene.control.DialogPane> styleDialog;
    private final Function<JFreeChart, Node> figure;
    private File lastExportFolder;

    /**
     * @param openFile    opens a file or folder with the desktop (HostServices)
     * @param notify      shows a short confirmation in the status bar
     * @param styleDialog applies the current theme to a dialog
     * @param figure      puts a chart on screen (the sdk's FigurePanel, with its export menu)
     */
    public RunsBrowser(RunsBrowserModel model, Path dataDir, Consumer<Path> openFile, Consumer<String> notify,
                       Supplier<Window> owner, Consumer<javafx.scene.control.DialogPane> styleDialog,
                       Function<JFreeChart, Node> figure) {
        this.model = model;
        this.dataDir = dataDir;
        this.openFile = openFile;
        this.notify = notify;
        this.owner = owner;
        this.styleDialog = styleDialog;
        this.figure = figure;
        setId("runs-browser");
        getStyleClass().add("runs-browser");

        setTop(toolbar());
        buildTable();
        showPlaceholder();
        SplitPane split = new SplitPane(table, details);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.36);
        setCenter(split);
        model.refresh();
    }

    public RunsBrowserModel model() {
        return model;
    }

    public TableView<RunRecord> table() {
        return table;
    }

    private Node toolbar() {
        Label title = new Label("Runs");
        title.getStyleClass().add("workspace-title");
        TextField search = new TextField();
        search.setId("runs-search");
        search.setPromptText("Search title, kind, plugin, model");
        search.setPrefColumnCount(22);
        search.textProperty().bindBidirectional(model.textProperty());

        ComboBox<RunStatus> status = new ComboBox<>();
        status.setId("runs-status-filter");
        status.getItems().add(null);
        status.getItems().addAll(RunStatus.values());
        status.setButtonCell(new NamedCell<>("All statuses"));
        status.setCellFactory(v -> new NamedCell<>("All statuses"));
        status.valueProperty().bindBidirectional(model.statusProperty());

        ComboBox<String> plugin = new ComboBox<>();
        plugin.setId("runs-plugin-filter");
        Runnable fillPlugins = () -> {
            String keep = plugin.getValue();
            plugin.getItems().setAll((String) null);
            plugin.getItems().addAll(model.plugins());
            plugin.setValue(keep);
        };
        model.plugins().addListener((ListChangeListener<String>) c -> fillPlugins.run());
        fillPlugins.run();
        plugin.setButtonCell(new NamedCell<>("All plugins"));
        plugin.setCellFactory(v -> new NamedCell<>("All plugins"));
        plugin.valueProperty().bindBidirectional(model.pluginProperty());

        Button refresh = button("Refresh", "runs-refresh", "List the runs again", e -> model.refresh());
        Button open = button("Open", "runs-open", "Show the selected run's parameters, metrics, artifacts and traces",
                e -> openSelected());
        Button compare = button("Compare", "runs-compare", "Select two runs to draw their shared metrics on one chart",
                e -> compareSelected());
        Button delete = button("Delete…", "runs-delete", "Delete the selected runs and their files", e -> deleteSelected());
        Button export = button("Export bundle…", "runs-export",
                "Write the selected run as a zip: run.json (parameters, metrics, traces) and its artifacts",
                e -> exportSelected());
        var selected = table.getSelectionModel().getSelectedItems();
        open.disableProperty().bind(Bindings.size(selected).isNotEqualTo(1));
        export.disableProperty().bind(Bindings.size(selected).isNotEqualTo(1));
        compare.disableProperty().bind(Bindings.size(selected).isNotEqualTo(2));
        delete.disableProperty().bind(Bindings.isEmpty(selected));

        Label count = new Label();
        count.getStyleClass().add("muted");
        count.textProperty().bind(Bindings.createStringBinding(() -> model.runs().size()
                + (model.runs().size() == RunsBrowserModel.LIMIT ? "+" : "") + " runs", model.runs()));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox actions = new HBox(8, title, count, gap, refresh, open, compare, delete, export);
        actions.setAlignment(Pos.CENTER_LEFT);
        for (Node n : actions.getChildren()) if (n instanceof Button b) b.setMinWidth(Region.USE_PREF_SIZE);
        HBox.setHgrow(search, Priority.ALWAYS);
        search.setMaxWidth(520);
        Label filter = new Label("Filter");
        filter.getStyleClass().add("muted");
        HBox filters = new HBox(8, filter, search, status, plugin);
        filters.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.layout.VBox bar = new javafx.scene.layout.VBox(8, actions, filters);
        bar.getStyleClass().add("workspace-toolbar");
        return bar;
    }

    private void buildTable() {
        table.setId("runs-table");
        table.setItems(model.runs());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        TableColumn<RunRecord, Long> id = new TableColumn<>("ID");
        id.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().id()));
        id.setPrefWidth(56);
        id.setMinWidth(44);
        id.getStyleClass().add("numeric-column");
        TableColumn<RunRecord, RunStatus> status = new TableColumn<>("Status");
        status.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().status()));
        status.setCellFactory(c -> new StatusCell());
        status.setPrefWidth(118);
        status.setMinWidth(112);
        TableColumn<RunRecord, String> plugin = text("Plugin", 110, RunRecord::plugin);
        TableColumn<RunRecord, String> kind = text("Kind", 120, RunRecord::kind);
        TableColumn<RunRecord, String> title = text("Title", 320, RunRecord::title);
        TableColumn<RunRecord, String> modelCol = text("Model", 140, r -> RunFormat.model(r.modelRef()));
        TableColumn<RunRecord, String> started = text("Started", 160, r -> RunFormat.started(r.startedAt()));
        started.setMinWidth(150);
        TableColumn<RunRecord, String> duration = text("Duration", 90, RunFormat::duration);
        duration.setMinWidth(76);
        title.setMinWidth(200);
        duration.getStyleClass().add("numeric-column");
        table.getColumns().setAll(List.of(id, status, plugin, kind, title, modelCol, started, duration));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        Label empty = new Label("No runs match. Runs appear here as soon as a workspace starts an action.");
        empty.getStyleClass().add("placeholder");
        table.setPlaceholder(empty);

        table.setRowFactory(v -> {
            TableRow<RunRecord> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) open(row.getItem());
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) openSelected();
            if (e.getCode() == KeyCode.DELETE) deleteSelected();
        });
        MenuItem open = new MenuItem("Open");
        open.setOnAction(e -> openSelected());
        MenuItem compare = new MenuItem("Compare the two selected");
        compare.setOnAction(e -> compareSelected());
        MenuItem export = new MenuItem("Export bundle…");
        export.setOnAction(e -> exportSelected());
        MenuItem delete = new MenuItem("Delete…");
        delete.setOnAction(e -> deleteSelected());
        table.setContextMenu(new ContextMenu(open, compare, export, new SeparatorMenuItem(), delete));
    }

    private void openSelected() {
        RunRecord r = table.getSelectionModel().getSelectedItem();
        if (r != null) open(r);
    }

    /** Shows a run's details below the table. */
    public void open(RunRecord r) {
        loading("Reading run #" + r.id() + "…");
        model.details(r.id(), d -> details.getChildren().setAll(new RunDetailsView(d, dataDir, openFile, figure)));
    }

    private void compareSelected() {
        List<RunRecord> two = List.copyOf(table.getSelectionModel().getSelectedItems());
        if (two.size() != 2) {
            notify.accept("Select exactly two runs to compare (Ctrl+click).");
            return;
        }
        loading("Reading runs #" + two.get(0).id() + " and #" + two.get(1).id() + "…");
        model.compare(two.get(0).id(), two.get(1).id(), c -> details.getChildren().setAll(new RunComparisonView(c, figure)));
    }

    private void deleteSelected() {
        List<RunRecord> chosen = List.copyOf(table.getSelectionModel().getSelectedItems());
        if (chosen.isEmpty()) return;
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.setTitle("Delete runs");
        confirm.setHeaderText(chosen.size() == 1 ? "Delete run #" + chosen.get(0).id() + " “" + chosen.get(0).title() + "”?"
                : "Delete " + chosen.size() + " runs?");
        confirm.setContentText("Their parameters, metrics, traces and artifact files are removed from the data folder. "
                + "This cannot be undone; export a bundle first to keep a copy.");
        if (owner.get() != null) confirm.initOwner(owner.get());
        styleDialog.accept(confirm.getDialogPane());
        confirm.getButtonTypes().setAll(ButtonType.CANCEL, ButtonType.OK);
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.OK)).setText("Delete");
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> {
            List<Long> ids = chosen.stream().map(RunRecord::id).toList();
            model.delete(ids, () -> {
                showPlaceholder();
                notify.accept("Deleted " + ids.size() + (ids.size() == 1 ? " run." : " runs."));
            });
        });
    }

    private void exportSelected() {
        RunRecord r = table.getSelectionModel().getSelectedItem();
        if (r == null) return;
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export run #" + r.id() + " as a bundle");
        chooser.setInitialFileName("layerwise-run-" + r.id() + ".zip");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Run bundle (zip)", "*.zip"));
        if (lastExportFolder != null && lastExportFolder.isDirectory()) chooser.setInitialDirectory(lastExportFolder);
        File target = chooser.showSaveDialog(owner.get());
        if (target == null) return;
        lastExportFolder = target.getParentFile();
        exportTo(r.id(), target.toPath());
    }

    /** Exports in the background and says where the bundle went. */
    public void exportTo(long runId, Path target) {
        notify.accept("Exporting run #" + runId + "…");
        model.exportBundle(runId, target, written -> notify.accept("Exported run #" + runId + " to " + written));
    }

    private void loading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("placeholder");
        details.getChildren().setAll(l);
    }

    private void showPlaceholder() {
        Label l = new Label("Double-click a run to open it; select two and press Compare to draw their metrics together.");
        l.getStyleClass().add("placeholder");
        l.setWrapText(true);
        details.getChildren().setAll(l);
    }

    private static Button button(String text, String id, String tip, javafx.event.EventHandler<javafx.event.ActionEvent> a) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(a);
        return b;
    }

    private static TableColumn<RunRecord, String> text(String name, double width,
                                                       java.util.function.Function<RunRecord, String> value) {
        TableColumn<RunRecord, String> c = new TableColumn<>(name);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static final class StatusCell extends TableCell<RunRecord, RunStatus> {
        private final Label pill = RunStatusPill.of(null);

        @Override
        protected void updateItem(RunStatus s, boolean empty) {
            super.updateItem(s, empty);
            setText(null);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            RunStatusPill.set(pill, s);
            setGraphic(pill);
        }
    }

    /** Shows null as "All …" and enum constants in lower case. */
    private static final class NamedCell<T> extends ListCell<T> {
        private final String none;

        NamedCell(String none) {
            this.none = none;
        }

        @Override
        protected void updateItem(T item, boolean empty) {
            super.updateItem(item, empty);
            if (empty) setText(none);
            else setText(item == null ? none : item instanceof Enum<?> e ? e.name().toLowerCase() : item.toString());
        }
    }
}
