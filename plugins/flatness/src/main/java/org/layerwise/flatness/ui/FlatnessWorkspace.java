package org.layerwise.flatness.ui;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.JobState;
import org.layerwise.engine.train.LossLandscape;
import org.layerwise.flatness.figure.FlatnessFigures;
import org.layerwise.flatness.method.AccuracyMatrix;
import org.layerwise.flatness.method.ContinualConfig;
import org.layerwise.flatness.method.ContinualLearner;
import org.layerwise.flatness.method.FlatnessViews;
import org.layerwise.flatness.method.MethodComparison;
import org.layerwise.flatness.method.TaskData;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.fx.JobProgressView;
import org.layerwise.sdk.fx.ParameterSheet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The flatness workspace: choose a task sequence and a method (or compare all), edit every switch in the sheet,
 * run as a cancellable recorded job with the accuracy matrix filling live, read the comparison table, and compute
 * the flatness views of the finished run; every chart is a FigurePanel (right-click: PDF/SVG/PNG/CSV).
 */
public final class FlatnessWorkspace extends BorderPane {
    private final WorkbenchContext context;
    private final FlatnessViewModel model = new FlatnessViewModel(Platform::runLater);
    private final TextField sequenceField = new TextField();
    private final ComboBox<String> method = new ComboBox<>();
    private final Spinner<Integer> seeds = new Spinner<>(1, 10, 3);
    private final ParameterSheet sheet = new ParameterSheet();
    private final HBox progress = new HBox(8);
    private final FigurePanel accuracy;
    private final FigurePanel overTime;
    private final TableView<MethodComparison.Row> table = new TableView<>(model.rows());
    private final FigurePanel comparison;
    private final GridPane views = new GridPane();
    private final ComboBox<String> direction = new ComboBox<>();
    private final Spinner<Integer> gridPoints = new Spinner<>(5, 41, 21, 2);
    private final Label viewStatus = new Label("Run a single method, then compute its views.");

    public FlatnessWorkspace(WorkbenchContext context) {
        this.context = context;
        sequenceField.setText(defaultSequence().toString());
        sequenceField.setPrefColumnCount(36);
        method.getItems().addAll(ContinualConfig.METHODS);
        method.getItems().add(FlatnessViewModel.COMPARE);
        method.setValue("cf");
        seeds.setPrefWidth(70);
        Button load = new Button("Load");
        load.setOnAction(e -> loadSequence());
        method.setOnAction(e -> chooseMethod());
        Button run = new Button("Run");
        run.setDefaultButton(true);
        run.setOnAction(e -> run());
        HBox bar = new HBox(8, new Label("Sequence"), sequenceField, load, new Label("Method"), method, new Label("Seeds (compare)"), seeds, run);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        progress.setPadding(new Insets(0, 8, 8, 8));
        setTop(new VBox(bar, progress));

        accuracy = new FigurePanel(context, emptyMatrix());
        accuracy.figureNameProperty().set("flatness-accuracy");
        overTime = new FigurePanel(context, FlatnessFigures.metricsOverTime(Map.of()));
        overTime.figureNameProperty().set("flatness-metrics-over-time");
        model.matrixProperty().addListener((o, a, m) -> { if (m != null) showMatrix(m); });
        SplitPane accuracyTab = new SplitPane(accuracy, overTime);

        TableColumn<MethodComparison.Row, String> name = column("method", r -> r.method());
        TableColumn<MethodComparison.Row, String> acc = column("avg. accuracy (%)", r -> pm(r.averageAccuracy()));
        TableColumn<MethodComparison.Row, String> fgt = column("forgetting (%)", r -> pm(r.forgetting()));
        TableColumn<MethodComparison.Row, String> intr = column("intransigence (%)", r -> pm(r.intransigence()));
        TableColumn<MethodComparison.Row, String> sec = column("s / run", r -> String.format(Locale.ROOT, "%.1f", MethodComparison.mean(r.seconds())));
        table.getColumns().addAll(List.of(name, acc, fgt, intr, sec));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("Choose \"" + FlatnessViewModel.COMPARE + "\" and run to fill the table (mean ± std over seeds)."));
        comparison = new FigurePanel(context, FlatnessFigures.comparison(List.of()));
        comparison.figureNameProperty().set("flatness-comparison");
        model.rows().addListener((javafx.collections.ListChangeListener<MethodComparison.Row>) c ->
                comparison.setChart(FlatnessFigures.comparison(new ArrayList<>(model.rows()))));
        SplitPane comparisonTab = new SplitPane(table, comparison);
        comparisonTab.setOrientation(javafx.geometry.Orientation.VERTICAL);

        direction.getItems().addAll("FILTER_NORMALISED", "ABS_SCALED", "GAUSSIAN");
        direction.setValue("FILTER_NORMALISED");
        Button compute = new Button("Compute views");
        compute.setOnAction(e -> computeViews());
        compute.disableProperty().bind(model.finishedProperty().isNull());
        HBox viewBar = new HBox(8, new Label("Directions"), direction, new Label("Grid"), gridPoints, compute, viewStatus);
        viewBar.setAlignment(Pos.CENTER_LEFT);
        viewBar.setPadding(new Insets(8));
        views.setHgap(6);
        views.setVgap(6);
        ScrollPane viewScroll = new ScrollPane(views);
        viewScroll.setFitToWidth(true);
        BorderPane viewTab = new BorderPane(viewScroll, viewBar, null, null, null);

        TabPane tabs = new TabPane(new Tab("Accuracy", accuracyTab), new Tab("Comparison", comparisonTab), new Tab("Flatness views", viewTab));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane centre = new SplitPane(sheet, tabs);
        centre.setDividerPositions(0.26);
        setCenter(centre);
        loadSequence();
    }

    public FlatnessViewModel viewModel() { return model; }

    public FigurePanel accuracyPanel() { return accuracy; }

    public GridPane viewsGrid() { return views; }

    /** sample-data/continual/split-mnist.json under the working directory or its parent. */
    static Path defaultSequence() {
        for (Path base : List.of(Path.of(""), Path.of(".."), Path.of("../.."))) {
            Path p = base.resolve("sample-data/continual/split-mnist.json");
            if (java.nio.file.Files.exists(p)) return p.toAbsolutePath().normalize();
        }
        return Path.of("sample-data/continual/split-mnist.json");
    }

    private void loadSequence() {
        Path file = Path.of(sequenceField.getText().trim());
        context.tasks().execute(() -> {
            model.loadSequence(file);
            return model.sequenceProperty().get();
        }, s -> chooseMethod(), ex -> context.showError("Could not load the task sequence " + file,
                "Check the path and the file format (docs/guide/flatness.md)", ex));
    }

    private void chooseMethod() {
        if (model.sequenceProperty().get() == null) return;
        try {
            sheet.setParameters(model.chooseMethod(method.getValue()));
        } catch (RuntimeException ex) {
            context.showError("Could not apply the preset", "Check the sequence's training block", ex);
        }
    }

    private void run() {
        try {
            JobHandle<?> h = model.start(context.jobs(), seeds.getValue());
            progress.getChildren().setAll(new JobProgressView(h));
        } catch (RuntimeException ex) {
            context.showError("Cannot start the run", "Fix the settings in the sheet and start again", ex);
        }
    }

    private List<String> taskNames() {
        return model.sequenceProperty().get().tasks().stream().map(TaskData::name).toList();
    }

    private JFreeChart emptyMatrix() {
        return FlatnessFigures.accuracyMatrix("Accuracy a[l][j]", new AccuracyMatrix(1), List.of("–"));
    }

    private void showMatrix(AccuracyMatrix m) {
        accuracy.setChart(FlatnessFigures.accuracyMatrix("Accuracy a[l][j], " + model.method(), m, taskNames()));
        overTime.setChart(FlatnessFigures.metricsOverTime(Map.of(model.method(), m)));
    }

    /** Computes every view of the finished run as a recorded job, then shows them as FigurePanels. */
    private void computeViews() {
        ContinualLearner learner = model.finishedProperty().get();
        if (learner == null) return;
        LossLandscape.Directions kind = LossLandscape.Directions.valueOf(direction.getValue());
        int points = gridPoints.getValue();
        List<String> names = taskNames();
        Job<List<JFreeChart>> job = ctx -> {
            FlatnessViews v = new FlatnessViews(learner, 256);
            double span = kind == LossLandscape.Directions.ABS_SCALED ? 2 * v.rho() : 1;
            List<JFreeChart> charts = new ArrayList<>();
            LossLandscape.Plane plane = v.plane(0, kind, span, points, 5, ctx);
            boolean abs = kind == LossLandscape.Directions.ABS_SCALED;
            charts.add(FlatnessFigures.landscapeContour("Task 1 loss around its solution", plane, 8, v.rho(), abs));
            charts.add(FlatnessFigures.landscapeHeatmap("Task 1 loss (heatmap)", plane));
            charts.add(FlatnessFigures.landscapeLine("Task 1 loss along one direction", v.line(0, kind, span, 2 * points - 1, 5, ctx), v.rho(), abs));
            if (v.checkpoints() > 1) charts.add(FlatnessFigures.interpolation("Interpolation task 1 → 2", v.interpolation(0, 25, ctx), names));
            FlatnessViews.Curvature c = v.curvature(20, 10, 5, ctx);
            charts.add(FlatnessFigures.accuracyMatrix("Accuracy a[l][j]", learner.matrix(), names));
            charts.add(FlatnessFigures.taskByCheckpoint("Box sharpness (ρ = " + v.rho() + ")", "worst loss increase", c.boxSharpness(), names));
            charts.add(FlatnessFigures.taskByCheckpoint("Top Hessian eigenvalue", "λ_max", c.topEigenvalue(), names));
            charts.add(FlatnessFigures.taskByCheckpoint("Hutchinson trace", "tr H", c.trace(), names));
            if (!learner.taskFishers().isEmpty()) charts.add(FlatnessFigures.fisherHistograms("Fisher of task 1 per layer", v.fisherHistograms(0, 28)));
            if (v.checkpoints() > 1 && !learner.taskFishers().isEmpty())
                charts.add(FlatnessFigures.fisherVsShift("Fisher (task 1) vs |Δw| after task 2", v.fisherVsShift(0, 4000, 1)));
            charts.add(FlatnessFigures.shareAtBound(Map.of(learner.config().method(), v.shareAtBound())));
            return charts;
        };
        JobHandle<List<JFreeChart>> h = context.jobs().submit(JobSpec.recorded("flatness", "landscape", "Flatness views",
                Map.of("directions", kind.name(), "grid", points), null), job);
        progress.getChildren().setAll(new JobProgressView(h));
        viewStatus.setText("computing…");
        h.addListener(new JobListener() {
            @Override
            public void onStateChanged(JobHandle<?> j, JobState state) {
                if (state == JobState.SUCCEEDED) h.result().thenAccept(charts -> Platform.runLater(() -> showViews(charts)));
                else if (state.isDone()) Platform.runLater(() -> viewStatus.setText("views: " + state.name().toLowerCase(Locale.ROOT)));
            }
        });
    }

    void showViews(List<JFreeChart> charts) {
        views.getChildren().clear();
        for (int i = 0; i < charts.size(); i++) {
            FigurePanel p = new FigurePanel(context, charts.get(i));
            p.setPrefSize(520, 380);
            p.figureNameProperty().set("flatness-view-" + (i + 1));
            GridPane.setHgrow(p, Priority.ALWAYS);
            views.add(p, i % 2, i / 2);
        }
        viewStatus.setText(charts.size() + " views");
    }

    private static TableColumn<MethodComparison.Row, String> column(String title, Function<MethodComparison.Row, String> value) {
        TableColumn<MethodComparison.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        return c;
    }

    private static String pm(double[] x) {
        double m = MethodComparison.mean(x), s = MethodComparison.std(x);
        if (Double.isNaN(m)) return "–";
        return Double.isNaN(s) ? String.format(Locale.ROOT, "%.1f", 100 * m) : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * m, 100 * s);
    }
}
