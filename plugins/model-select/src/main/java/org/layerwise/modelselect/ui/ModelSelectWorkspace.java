package org.layerwise.modelselect.ui;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.modelselect.method.CoarseRecall;
import org.layerwise.modelselect.method.FineTuning;
import org.layerwise.modelselect.method.ModelRepository;
import org.layerwise.modelselect.method.PerformanceMatrix;
import org.layerwise.modelselect.method.SelectionComparison;
import org.layerwise.modelselect.method.SelectionRun;
import org.layerwise.modelselect.method.TrendPredictor;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.fx.JobProgressView;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The model-selection workspace: open a repository (local or an imported matrix), see its matrix, dendrogram
 * with the threshold and the proxy scores; run two-phase selection against brute force and plain successive
 * halving as a cancellable job and see the halving rounds, the trend predictor and the comparison table.
 */
public final class ModelSelectWorkspace extends BorderPane {
    /** One row of the repository table. */
    public record ModelRow(String model, double meanAccuracy, int cluster, boolean representative, Double leep, double proxy, boolean recalled) {}

    private final WorkbenchContext context;
    private final TextField repository = new TextField();
    private final ComboBox<String> target = new ComboBox<>();
    private final ComboBox<String> mode = new ComboBox<>(FXCollections.observableArrayList("simulate", "real"));
    private final TextField threshold = new TextField("0.09");
    private final TextField recall = new TextField("15");
    private final TextField epochs = new TextField("5");
    private final Label status = new Label("Open a repository: a local one (models/, data/, benchmarks/) or an imported matrix folder.");
    private final VBox jobs = new VBox(4);
    private final TableView<ModelRow> table = new TableView<>();
    private final TableView<SelectionComparison.Row> comparison = new TableView<>();
    private final FigurePanel heatmap, dendrogram, proxy, halving, predicted;
    private ModelRepository repo;

    public ModelSelectWorkspace(WorkbenchContext context) {
        this.context = context;
        heatmap = new FigurePanel(context, SelectionFigures.heatmap(new PerformanceMatrix(List.of("-"), List.of("-"), new double[][] {{0}})));
        dendrogram = new FigurePanel(context, heatmap.getChart());
        proxy = new FigurePanel(context, heatmap.getChart());
        halving = new FigurePanel(context, heatmap.getChart());
        predicted = new FigurePanel(context, heatmap.getChart());
        heatmap.figureNameProperty().set("model-select-heatmap");
        dendrogram.figureNameProperty().set("model-select-dendrogram");
        proxy.figureNameProperty().set("model-select-proxy");
        halving.figureNameProperty().set("model-select-halving");
        predicted.figureNameProperty().set("model-select-predicted");
        mode.setValue("simulate");
        target.setEditable(true);
        target.setPromptText("target");
        repository.setPromptText("repository folder");
        repository.setPrefColumnCount(34);
        Button open = new Button("Open");
        open.setOnAction(e -> open(Path.of(repository.getText().trim())));
        Button recluster = new Button("Recluster");
        recluster.setOnAction(e -> recluster());
        Button run = new Button("Run selection");
        run.setId("run-selection");
        run.setOnAction(e -> runSelection());
        for (TextField f : List.of(threshold, recall, epochs)) f.setPrefColumnCount(4);
        FlowPane bar = new FlowPane(6, 6, new Label("Repository"), repository, open, new Label("target"), target, new Label("mode"), mode,
                new Label("threshold"), threshold, new Label("recall k"), recall, new Label("epochs"), epochs, recluster, run);
        bar.setPadding(new Insets(6));
        setTop(new VBox(4, bar, status, jobs));
        buildTables();
        TabPane tabs = new TabPane(new Tab("Repository", table), new Tab("Matrix", heatmap), new Tab("Dendrogram", dendrogram),
                new Tab("Proxy scores", proxy), new Tab("Halving", halving), new Tab("Predicted vs actual", predicted),
                new Tab("Comparison", comparison));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        setCenter(tabs);
    }

    public TableView<ModelRow> repositoryTable() { return table; }

    public TableView<SelectionComparison.Row> comparisonTable() { return comparison; }

    public FigurePanel dendrogramFigure() { return dendrogram; }

    public FigurePanel halvingFigure() { return halving; }

    public TextField repositoryField() { return repository; }

    public ComboBox<String> targetBox() { return target; }

    public ComboBox<String> modeBox() { return mode; }

    /** Opens a repository off the FX thread and shows its matrix and clustering. */
    public void open(Path dir) {
        repository.setText(dir.toString());
        context.tasks().execute(() -> ModelRepository.open(dir), r -> {
            repo = r;
            List<String> targets = new ArrayList<>(r.isImported() ? r.matrix().datasets() : r.targetNames());
            if (r.isImported()) targets.add(0, "all");
            target.setItems(FXCollections.observableArrayList(targets));
            if (!targets.isEmpty()) target.setValue(targets.get(0));
            mode.setValue(r.isImported() ? "simulate" : "real");
            if (r.isImported() && dir.toString().contains("cv")) threshold.setText("0.03");
            status.setText(r.isImported()
                    ? "Imported matrix: " + r.matrix().modelCount() + " models × " + r.matrix().datasetCount() + " data sets (simulation only)"
                    : r.models().size() + " local models, benchmarks " + r.benchmarkNames() + ", targets " + r.targetNames()
                      + (r.matrix() == null ? " — no matrix yet: run 'select-model build-repository'" : ""));
            recluster();
        }, ex -> context.showError("Cannot open the repository", "Choose a folder with models/ and data/, or one holding matrix.txt", ex));
    }

    /** Clusters, LEEP and proxy scores for the current target and threshold (cheap: bookkeeping on the matrix). */
    public void recluster() {
        if (repo == null || repo.matrix() == null) return;
        double t = number(threshold, "threshold");
        int k = (int) number(recall, "recall k");
        String tgt = target.getValue();
        context.tasks().execute(() -> {
            PerformanceMatrix p = repo.matrix();
            if (repo.isImported() && tgt != null && p.datasets().contains(tgt)) p = p.withoutDataset(p.datasetIndex(tgt));
            Map<String, Double> leep = tgt == null ? Map.of() : repo.leep(tgt);
            return new Object[] {p, CoarseRecall.run(p, t, leep, k), leep};
        }, o -> {
            PerformanceMatrix p = (PerformanceMatrix) o[0];
            CoarseRecall.Result r = (CoarseRecall.Result) o[1];
            @SuppressWarnings("unchecked") Map<String, Double> leep = (Map<String, Double>) o[2];
            List<ModelRow> rows = new ArrayList<>();
            for (int m = 0; m < p.modelCount(); m++)
                rows.add(new ModelRow(p.models().get(m), p.meanAccuracy(m), r.clusterOf()[m] + 1, r.representatives().contains(m),
                        leep.get(p.models().get(m)), r.proxy()[m], r.recalled().contains(m)));
            table.setItems(FXCollections.observableArrayList(rows));
            heatmap.setChart(SelectionFigures.heatmap(p));
            dendrogram.setChart(SelectionFigures.dendrogram(r, p.models()));
            proxy.setChart(SelectionFigures.proxyScores(r, p.models()));
        }, ex -> context.showError("Cannot cluster the repository", "Check the threshold and recall k", ex));
    }

    /** Submits the comparison as a recorded, cancellable job; results fill the halving, predictor and comparison views. */
    public JobHandle<SelectionRun.Output> runSelection() {
        if (repo == null || target.getValue() == null) {
            status.setText("Open a repository and choose a target first");
            return null;
        }
        SelectionRun.Request request = new SelectionRun.Request(repo.directory(), target.getValue(),
                mode.getValue().equals("real") ? SelectionRun.Mode.REAL : SelectionRun.Mode.SIMULATE,
                new SelectionComparison.Settings(number(threshold, "threshold"), (int) number(recall, "recall k"), (int) number(epochs, "epochs"), TrendPredictor.PAPER_K),
                FineTuning.Settings.defaults(), 0.01, 17, null);
        JobHandle<SelectionRun.Output> handle = context.jobs().submit(JobSpec.recorded("model-select", "select",
                "Select a model for " + target.getValue(), request.parameters(), repo.directory().toString()), SelectionRun.job(request));
        JobProgressView view = new JobProgressView(handle);
        view.setOnDone(v -> jobs.getChildren().remove(v));
        jobs.getChildren().add(view);
        handle.result().whenComplete((out, ex) -> Platform.runLater(() -> {
            if (ex != null) {
                if (!(ex.getCause() instanceof org.layerwise.engine.jobs.JobCancelledException))
                    context.showError("Model selection failed", "Check the repository and the target, then run again", ex);
                return;
            }
            show(out.results());
        }));
        return handle;
    }

    /** Shows finished results (the first target's charts; every target's rows). */
    public void show(List<SelectionComparison.Result> results) {
        if (results.isEmpty()) return;
        SelectionComparison.Result first = results.get(0);
        halving.setChart(SelectionFigures.halving(first));
        predicted.setChart(SelectionFigures.predictedVsActual(first));
        List<SelectionComparison.Row> rows = new ArrayList<>();
        results.forEach(r -> rows.addAll(r.rows()));
        comparison.setItems(FXCollections.observableArrayList(rows));
        status.setText(String.format(Locale.ROOT, "%s: two-phase chose %s (regret %.3f, %d epochs); brute force %d epochs",
                first.target(), first.row(SelectionComparison.TWO_PHASE).chosen(), first.row(SelectionComparison.TWO_PHASE).regret(),
                first.row(SelectionComparison.TWO_PHASE).totalEpochs(), first.row(SelectionComparison.BRUTE).totalEpochs()));
    }

    private void buildTables() {
        table.getColumns().add(column("model", ModelRow::model, 300));
        table.getColumns().add(column("mean acc", r -> fmt(r.meanAccuracy()), 80));
        table.getColumns().add(column("cluster", r -> String.valueOf(r.cluster()), 60));
        table.getColumns().add(column("representative", r -> r.representative() ? "yes" : "", 100));
        table.getColumns().add(column("LEEP", r -> r.leep() == null ? "—" : fmt(r.leep()), 80));
        table.getColumns().add(column("proxy", r -> fmt(r.proxy()), 80));
        table.getColumns().add(column("recalled", r -> r.recalled() ? "yes" : "", 70));
        comparison.getColumns().add(column("strategy", SelectionComparison.Row::strategy, 150));
        comparison.getColumns().add(column("chosen", SelectionComparison.Row::chosen, 300));
        comparison.getColumns().add(column("accuracy", r -> fmt(r.chosenAccuracy()), 80));
        comparison.getColumns().add(column("regret", r -> fmt(r.regret()), 80));
        comparison.getColumns().add(column("epochs", r -> String.valueOf(r.totalEpochs()), 70));
        comparison.getColumns().add(column("wall s", r -> String.format(Locale.ROOT, "%.1f", r.seconds()), 70));
    }

    private static <R> TableColumn<R, String> column(String name, Function<R, String> value, double width) {
        TableColumn<R, String> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4f", v); }

    private double number(TextField f, String what) {
        try {
            return Double.parseDouble(f.getText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, not '" + f.getText() + "'");
        }
    }
}
