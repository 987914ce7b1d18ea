package org.layerwise.rationale.ui;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.runs.ArtifactRecord;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.rationale.method.CrossoverChart;
import org.layerwise.rationale.method.EvalMode;
import org.layerwise.rationale.method.FineTuning;
import org.layerwise.rationale.method.GridCell;
import org.layerwise.rationale.method.GridResult;
import org.layerwise.rationale.method.PairedItems;
import org.layerwise.rationale.method.RationaleGrid;
import org.layerwise.rationale.method.TrainingMethod;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.figure.LineFigures;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.fx.JobProgressView;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rationale workspace: launch evaluations and training runs (method, align weight w) as cancellable jobs with
 * a live loss chart; open any recorded run; read its results per data set, model, method and mode; the
 * accuracy-vs-size crossover chart; and the items where direct and CoT disagree, with the generated rationale.
 */
public final class RationaleWorkspace extends BorderPane {
    private final WorkbenchContext context;
    private final TableView<Row> table = new TableView<>();
    private final FigurePanel crossover;
    private final FigurePanel lossPanel;
    private final ComboBox<String> pairCell = new ComboBox<>();
    private final ListView<PairedItems.Pair> pairs = new ListView<>();
    private final TextArea pairDetail = new TextArea();
    private final Label status = new Label("Open a recorded run or start one on the left.");
    private final VBox jobsBox = new VBox(4);
    private final Map<String, double[][]> liveLoss = new TreeMap<>();
    private GridResult result;

    /** One table row: a cell's accuracy on one task (or pooled) in each mode. */
    public record Row(String model, String method, String task, Map<EvalMode, String> values) {}

    public RationaleWorkspace(WorkbenchContext context) {
        this.context = context;
        getStyleClass().add("rationale-workspace");
        crossover = new FigurePanel(context, LineFigures.builder("Direct vs CoT by model size", "Parameters", "Accuracy").build());
        crossover.figureNameProperty().set("rationale-crossover");
        lossPanel = new FigurePanel(context, LineFigures.builder("Training loss", "Step", "Loss").build());
        lossPanel.figureNameProperty().set("rationale-loss");
        setLeft(launcher());
        setCenter(results());
        HBox bottom = new HBox(status);
        bottom.setPadding(new Insets(4, 8, 4, 8));
        setBottom(bottom);
    }

    // ------------------------------------------------------------------ launcher

    private VBox launcher() {
        TextField models = new TextField("sample-data/models/nlu-small,sample-data/models/nlu-medium,sample-data/models/nlu-large");
        TextField data = new TextField("sample-data/nlu");
        ComboBox<String> method = new ComboBox<>(FXCollections.observableArrayList("all five (grid)", "evaluate only"));
        for (TrainingMethod m : TrainingMethod.values()) method.getItems().add(m.id());
        method.getSelectionModel().select(0);
        TextField w = new TextField("0.5");
        w.setPromptText("w, or a sweep: 0.25,0.5,0.75");
        Spinner<Integer> steps = new Spinner<>(1, 10000, FineTuning.standard().steps(), 10);
        Spinner<Integer> perTask = new Spinner<>(1, 1000, 20, 5);
        steps.setEditable(true);
        perTask.setEditable(true);
        Button start = new Button("Start");
        start.setOnAction(e -> {
            try {
                List<Path> dirs = new ArrayList<>();
                for (String s : models.getText().split(",")) if (!s.isBlank()) dirs.add(Path.of(s.strip()));
                List<Double> ws = new ArrayList<>();
                for (String s : w.getText().split(",")) if (!s.isBlank()) ws.add(Double.parseDouble(s.strip()));
                String choice = method.getValue();
                List<TrainingMethod> methods = choice.startsWith("all") ? List.of(TrainingMethod.values())
                        : choice.startsWith("evaluate") ? List.of() : List.of(TrainingMethod.parse(choice));
                FineTuning ft = new FineTuning(steps.getValue(), FineTuning.standard().batchSize(), FineTuning.standard().peakRate(),
                        Math.max(1, steps.getValue() / 10), FineTuning.standard().seed());
                RationaleGrid.Request req = new RationaleGrid.Request(Path.of(data.getText().strip()), dirs, methods, ws,
                        methods.isEmpty() || choice.startsWith("all"), ft, perTask.getValue(),
                        List.of(EvalMode.DIRECT_LL, EvalMode.DIRECT_LL_NORM, EvalMode.COT));
                launch(req, choice);
            } catch (RuntimeException ex) {
                context.showError("Cannot start the rationale run", "Check the model folders, the data folder and w "
                        + "(a number in [0, 1], or several separated by commas).", ex);
            }
        });
        Button open = new Button("Open results file…");
        open.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Rationale results", "*.json"));
            File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) openFile(f.toPath());
        });
        ComboBox<RunRecord> runs = new ComboBox<>();
        runs.setPromptText("recorded runs…");
        runs.setOnShowing(e -> {
            if (context.runStore() == null) return;
            runs.getItems().setAll(context.runStore().list(new RunQuery("rationale", null, null, 50)));
        });
        runs.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(RunRecord r) { return r == null ? "" : "#" + r.id() + " " + r.title() + " (" + r.status() + ")"; }
            @Override public RunRecord fromString(String s) { return null; }
        });
        runs.setOnAction(e -> { if (runs.getValue() != null) openRun(runs.getValue().id()); });
        VBox box = new VBox(6, new Label("Models (folders, comma-separated)"), models, new Label("Data (NLURC folder)"), data,
                new Label("Training method"), method, new Label("Align weight w"), w, new Label("Fine-tuning steps"), steps,
                new Label("Test items per task"), perTask, start, jobsBox, lossPanel, new Label("Results"), runs, open);
        box.setPadding(new Insets(8));
        box.setPrefWidth(330);
        lossPanel.setPrefHeight(220);
        return box;
    }

    private void launch(RationaleGrid.Request req, String what) {
        JobSpec spec = JobSpec.recorded("rationale", what.startsWith("evaluate") ? "evaluate" : what.startsWith("all") ? "grid" : "train",
                "Rationales: " + what, req.parameters(), req.models().toString());
        JobHandle<GridResult> handle = context.jobs().submit(spec, RationaleGrid.job(req));
        liveLoss.clear();
        handle.addListener(new JobListener() {
            @Override public void onMetric(JobHandle<?> job, String name, long step, double value) {
                if (!name.startsWith("loss/")) return;
                Platform.runLater(() -> addLoss(name.substring(5), step, value));
            }
        });
        JobProgressView view = new JobProgressView(handle);
        view.setOnDone(v -> jobsBox.getChildren().remove(v));
        jobsBox.getChildren().add(view);
        handle.result().whenComplete((r, err) -> Platform.runLater(() -> {
            if (r != null) show(r);
            else if (err != null && !(err.getCause() instanceof org.layerwise.engine.jobs.JobCancelledException))
                status.setText("run failed: " + err.getMessage());
        }));
    }

    private void addLoss(String series, long step, double value) {
        double[][] s = liveLoss.computeIfAbsent(series, k -> new double[2][0]);
        s[0] = java.util.Arrays.copyOf(s[0], s[0].length + 1);
        s[1] = java.util.Arrays.copyOf(s[1], s[1].length + 1);
        s[0][s[0].length - 1] = step;
        s[1][s[1].length - 1] = value;
        if (step % 5 != 0) return;     // redraw every fifth step
        LineFigures.Builder b = LineFigures.builder("Training loss", "Step", "Loss");
        liveLoss.forEach((k, v) -> b.series(k, v[0], v[1]));
        lossPanel.setChart(b.build());
    }

    // ------------------------------------------------------------------ results

    private TabPane results() {
        TableColumn<Row, String> model = new TableColumn<>("Model");
        model.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().model()));
        TableColumn<Row, String> method = new TableColumn<>("Method");
        method.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().method()));
        TableColumn<Row, String> task = new TableColumn<>("Data set");
        task.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().task()));
        table.getColumns().addAll(List.of(model, method, task));
        for (EvalMode m : EvalMode.values()) {
            TableColumn<Row, String> col = new TableColumn<>(m.id());
            col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().values().getOrDefault(m, "")));
            table.getColumns().add(col);
        }
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);

        pairs.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(PairedItems.Pair p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : (p.firstRight() ? "direct ✓ CoT ✗  " : "CoT ✓ direct ✗  ")
                        + p.item().task() + "  " + p.item().id());
            }
        });
        pairs.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> pairDetail.setText(p == null ? "" : detail(p)));
        pairDetail.setEditable(false);
        pairDetail.setWrapText(true);
        pairCell.setOnAction(e -> refreshPairs());
        SplitPane split = new SplitPane(pairs, pairDetail);
        split.setDividerPositions(0.4);
        VBox pairBox = new VBox(6, new HBox(6, new Label("Model / method"), pairCell), split);
        VBox.setVgrow(split, Priority.ALWAYS);
        pairBox.setPadding(new Insets(6));
        TabPane tabs = new TabPane(new Tab("Results", table), new Tab("Crossover", crossover), new Tab("Direct vs CoT items", pairBox));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        return tabs;
    }

    private static String detail(PairedItems.Pair p) {
        var i = p.item();
        return "item " + i.id() + " (" + i.task() + ")\n\n" + i.prompt() + "\n\ngold label: " + i.label()
                + "\n\ndirect (" + p.first().mode() + "): " + p.first().prediction() + (p.first().correct() ? "  ✓" : "  ✗")
                + "\n" + p.first().output()
                + "\n\nCoT: " + (p.second().formatError() ? "format error (no answer phrase)" : p.second().prediction()
                + (p.second().correct() ? "  ✓" : "  ✗"))
                + "\ngenerated rationale: " + p.second().output()
                + "\n\nreference rationale: " + i.referenceRationale();
    }

    /** Shows a result: table rows, the crossover chart and the paired view. */
    public void show(GridResult r) {
        this.result = r;
        List<Row> rows = new ArrayList<>();
        for (GridCell c : r.cells()) {
            rows.add(row(c, "all trained tasks", false, r));
            rows.add(row(c, "all held-out tasks", true, r));
            for (String t : c.tasks()) {
                java.util.Map<EvalMode, String> v = new java.util.EnumMap<>(EvalMode.class);
                for (EvalMode m : r.modes()) v.put(m, cellText(c.score(t, m), m));
                rows.add(new Row(c.model(), c.label(), t, v));
            }
        }
        table.getItems().setAll(rows);
        JFreeChart chart = CrossoverChart.build(r);
        crossover.setChart(chart);
        List<String> labels = new ArrayList<>();
        for (GridCell c : r.cells()) labels.add(c.model() + " / " + c.label());
        pairCell.getItems().setAll(labels);
        if (!labels.isEmpty()) pairCell.getSelectionModel().select(labels.size() - 1);
        refreshPairs();
        status.setText(String.format(Locale.ROOT, "%d cells (%d models × %d methods), %d modes", r.cells().size(),
                r.models().size(), r.methods().size(), r.modes().size()));
    }

    private static Row row(GridCell c, String name, boolean held, GridResult r) {
        java.util.Map<EvalMode, String> v = new java.util.EnumMap<>(EvalMode.class);
        for (EvalMode m : r.modes()) v.put(m, cellText(c.pooled(held, m), m));
        return new Row(c.model(), c.label(), name, v);
    }

    private static String cellText(org.layerwise.rationale.method.Score s, EvalMode m) {
        if (s.items() == 0) return "";
        String acc = String.format(Locale.ROOT, "%.1f%%", 100 * s.accuracy());
        return m.generates() ? acc + String.format(Locale.ROOT, " (fmt err %.0f%%)", 100 * s.formatErrorRate()) : acc;
    }

    private void refreshPairs() {
        pairs.getItems().clear();
        if (result == null || pairCell.getValue() == null) return;
        int i = pairCell.getSelectionModel().getSelectedIndex();
        if (i < 0 || i >= result.cells().size()) return;
        GridCell c = result.cells().get(i);
        EvalMode direct = result.modes().contains(EvalMode.DIRECT_LL) ? EvalMode.DIRECT_LL : EvalMode.DIRECT_GEN;
        if (!result.modes().contains(direct) || !result.modes().contains(EvalMode.COT)) return;
        pairs.getItems().setAll(PairedItems.disagreements(c, direct, EvalMode.COT));
        if (!pairs.getItems().isEmpty()) pairs.getSelectionModel().select(0);
    }

    public void openFile(Path file) {
        context.tasks().execute(() -> GridResult.read(file), this::show,
                err -> context.showError("Cannot open " + file, "Choose a rationale-results.json written by a rationale run.", err));
    }

    public void openRun(long runId) {
        context.tasks().execute(() -> {
            for (ArtifactRecord a : context.runStore().artifacts(runId))
                if (a.name().equals(GridResult.ARTIFACT)) return GridResult.read(context.runStore().dataDir().resolve(a.relativePath()));
            throw new IllegalStateException("run " + runId + " has no " + GridResult.ARTIFACT + " (it may have been cancelled)");
        }, this::show, err -> context.showError("Cannot open run " + runId, "Pick a finished rationale run.", err));
    }

    public TableView<Row> table() { return table; }

    public ListView<PairedItems.Pair> pairs() { return pairs; }

    public TextArea pairDetail() { return pairDetail; }

    public FigurePanel crossover() { return crossover; }
}
