package org.layerwise.probeedit.ui;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.probeedit.method.probe.DatasetProbe;
import org.layerwise.probeedit.method.probe.LayerRegions;
import org.layerwise.probeedit.method.probe.ProbeDataset;
import org.layerwise.probeedit.method.probe.ProbeFigures;
import org.layerwise.probeedit.method.probe.ProbeJobs;
import org.layerwise.probeedit.method.probe.ProbeOptions;
import org.layerwise.probeedit.method.probe.ProbeRequest;
import org.layerwise.probeedit.method.probe.ProbeResult;
import org.layerwise.probeedit.method.probe.TokenSets;
import org.layerwise.probeedit.method.probe.TokenTrack;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.fx.JobProgressView;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The Probe tab: the JEEP contrast probe of one fact (the paper's two-panel figure, a layers × positions heatmap,
 * proposed edit regions) and of a data set (means with 95% bands and token-set curves). Every probe is a recorded,
 * cancellable job on the model selected in the model bar.
 */
public final class ProbePanel extends BorderPane {
    static final String PLUGIN = "probe-edit";
    /** The sample fact world's held-out CounterFact file, relative to a sample model folder. */
    private static final String SAMPLE_WORLD = "../../world/heldout_counterfact.json";

    private final WorkbenchContext context;
    private final TextField prompt = new TextField("The capital of {} is");
    private final TextField subject = new TextField("France");
    private final TextField original = new TextField("Paris");
    private final TextField target = new TextField("Berlin");
    private final CheckBox finalNorm = new CheckBox("Apply the final norm");
    private final ChoiceBox<ProbeOptions.Site> site = new ChoiceBox<>();
    private final ComboBox<String> heatWord = new ComboBox<>();
    private final Spinner<Integer> extraPosition = new Spinner<>(-1, 63, -1);
    private final Button run = new Button("Run probe");
    private final TextField dataset = new TextField();
    private final Spinner<Integer> limit = new Spinner<>(1, 100_000, 200, 50);
    private final Button runDataset = new Button("Probe data set");
    private final VBox jobs = new VBox(4);
    private final Label status = new Label("Type a fact and press Run probe.");
    private final Label regions = new Label();
    private final FigurePanel probeFigure;
    private final FigurePanel heatmap;
    private final FigurePanel datasetFigure;
    private final FigurePanel setsFigure;
    private final TabPane figures = new TabPane();
    private ProbeResult last;
    private JobHandle<?> running;

    public ProbePanel(WorkbenchContext context) {
        this.context = context;
        setId("probe-panel");
        probeFigure = figure("probe-figure", "contrast-probe", 0.85);
        heatmap = figure("probe-heatmap", "contrast-probe-heatmap", 0.7);
        datasetFigure = figure("probe-dataset-figure", "contrast-probe-dataset", 0.85);
        setsFigure = figure("probe-sets-figure", "contrast-probe-token-sets", 0.85);
        figures.getTabs().addAll(new Tab("Probe", probeFigure), new Tab("Heatmap", heatmap),
                new Tab("Data set means", datasetFigure), new Tab("Token sets", setsFigure));
        figures.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);

        ScrollPane form = new ScrollPane(buildForm());
        form.setFitToWidth(true);
        form.setMinWidth(330);
        form.setPrefWidth(360);
        VBox right = new VBox(6, figures, regions);
        VBox.setVgrow(figures, Priority.ALWAYS);
        right.setPadding(new Insets(8));
        regions.setWrapText(true);
        regions.setId("probe-regions");
        SplitPane split = new SplitPane(form, right);
        split.setDividerPositions(0.27);
        setCenter(split);

        context.models().selected().addListener((o, a, b) -> onModel(b));
        onModel(context.models().selected().get());
    }

    private FigurePanel figure(String id, String name, double aspect) {
        FigurePanel f = new FigurePanel(context, null);
        f.setId(id);
        f.figureNameProperty().set(name);
        f.setAspect(aspect);
        return f;
    }

    private VBox buildForm() {
        prompt.setId("probe-prompt");
        subject.setId("probe-subject");
        original.setId("probe-original");
        target.setId("probe-target");
        prompt.setTooltip(new Tooltip("{} stands for the subject (CounterFact style); or write the subject into the prompt"));
        finalNorm.setId("probe-final-norm");
        finalNorm.setSelected(true);
        finalNorm.setTooltip(new Tooltip("The logit-lens habit. The JEEP paper reads the raw block outputs (unticked)."));
        site.getItems().setAll(ProbeOptions.Site.values());
        site.setValue(ProbeOptions.Site.AFTER_MLP);
        site.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(ProbeOptions.Site s) { return s == null ? "" : "read " + s.label(); }
            @Override public ProbeOptions.Site fromString(String s) { return null; }
        });
        heatWord.setEditable(true);
        heatWord.setId("probe-heat-word");
        heatWord.setTooltip(new Tooltip("The token the heatmap shows: the original, the target or any word (Run again for a new word)"));
        heatWord.setOnAction(e -> redrawHeatmap());
        extraPosition.setId("probe-extra-position");
        extraPosition.setTooltip(new Tooltip("Another token position to plot as a third panel (-1: none)"));
        extraPosition.valueProperty().addListener((o, a, b) -> redrawProbe());
        run.setId("probe-run");
        run.getStyleClass().add("accent");
        run.setDefaultButton(true);
        run.setOnAction(e -> runSingle());

        GridPane fact = new GridPane();
        fact.setHgap(8);
        fact.setVgap(6);
        int row = 0;
        fact.addRow(row++, new Label("Prompt"), prompt);
        fact.addRow(row++, new Label("Subject"), subject);
        fact.addRow(row++, new Label("Original"), original);
        fact.addRow(row++, new Label("Target"), target);
        fact.addRow(row++, new Label("Heatmap of"), heatWord);
        fact.addRow(row++, new Label("Extra position"), extraPosition);
        for (var n : List.of(prompt, subject, original, target, heatWord)) GridPane.setHgrow(n, Priority.ALWAYS);
        heatWord.setMaxWidth(Double.MAX_VALUE);

        dataset.setId("probe-dataset");
        dataset.setPromptText("CounterFact .json or .jsonl");
        Button browse = new Button("…");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("A CounterFact JSON file or JSON lines {prompt, subject, target_true, target_new}");
            File f = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) dataset.setText(f.getPath());
        });
        HBox.setHgrow(dataset, Priority.ALWAYS);
        limit.setEditable(true);
        limit.setId("probe-limit");
        limit.setPrefWidth(100);
        runDataset.setId("probe-run-dataset");
        runDataset.setOnAction(e -> runDataset());

        Label title = new Label("Contrast probe");
        title.getStyleClass().add("workspace-title");
        Label explain = new Label("Rank and probability of the original and the target answer's first token at every layer, "
                + "at the last subject token and the last token (JEEP, AAAI-25).");
        explain.setWrapText(true);
        explain.getStyleClass().add("muted");
        status.setWrapText(true);
        status.setId("probe-status");
        VBox box = new VBox(8, title, explain, fact, finalNorm, site, run, new Separator(),
                new Label("Data set"), new HBox(4, dataset, browse), new HBox(6, new Label("First"), limit, new Label("facts")),
                runDataset, new Separator(), jobs, status);
        box.setPadding(new Insets(10));
        return box;
    }

    /** Prefills the fact and the data set from the sample fact world next to a sample model. */
    private void onModel(LanguageModel model) {
        boolean ok = model instanceof TransformerModel;
        run.setDisable(!ok || running != null);
        runDataset.setDisable(!ok || running != null);
        if (model == null) {
            status.setText("Load a model in the model bar (e.g. the sample model facts-llama) to probe it.");
            return;
        }
        if (!ok) {
            status.setText(model.name() + " is not a transformer this probe can read; load a Hugging Face model folder.");
            return;
        }
        status.setText("Ready: " + model.name() + " (" + ((TransformerModel) model).spec().layers() + " layers).");
        Path world = model.directory() == null ? null : model.directory().resolve(SAMPLE_WORLD).normalize();
        if (world != null && dataset.getText().isBlank()) {
            // read off the FX thread: the world file holds hundreds of records
            context.tasks().execute(() -> Files.isRegularFile(world) ? ProbeDataset.read(world).get(0) : null, first -> {
                if (first == null || !dataset.getText().isBlank()) return;
                dataset.setText(world.toString());
                prompt.setText(first.prompt());
                subject.setText(first.subject());
                original.setText(first.original());
                target.setText(first.target());
            }, failure -> { /* keep the defaults; probing the file later reports what is wrong with it */ });
        }
    }

    private ProbeOptions options() {
        return ProbeOptions.paper().withFinalNorm(finalNorm.isSelected()).withSite(site.getValue());
    }

    private TransformerModel model() {
        return context.models().selected().get() instanceof TransformerModel t ? t : null;
    }

    /** Probes the fact in the fields. */
    public void runSingle() {
        TransformerModel model = model();
        if (model == null || running != null) return;
        ProbeRequest request;
        try {
            request = new ProbeRequest(prompt.getText(), subject.getText(), original.getText(), target.getText());
            request.subjectSpan();
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        ProbeOptions o = options();
        String word = heatWord.getEditor().getText() == null ? "" : heatWord.getEditor().getText().strip();
        if (!word.isEmpty() && !word.equals(request.original()) && !word.equals(request.target()))
            o = o.withExtraWords(List.of(word));
        JobHandle<ProbeJobs.Single> h = context.jobs().submit(
                JobSpec.recorded(PLUGIN, "contrast-probe", "Probe “" + request.text() + "”", ProbeJobs.parameters(model, request, o),
                        modelRef(model)), ProbeJobs.single(model, request, o));
        track(h, "The probe");
        h.result().whenComplete((s, failure) -> {
            if (s != null) Platform.runLater(() -> show(s));
        });
    }

    /** Probes the data set in the data set field. */
    public void runDataset() {
        TransformerModel model = model();
        if (model == null || running != null) return;
        Path file = Path.of(dataset.getText().strip());
        ProbeOptions base = options();
        int n = limit.getValue();
        status.setText("Reading " + file.getFileName() + "…");
        context.tasks().execute(() -> {
            List<ProbeRequest> facts = ProbeDataset.read(file);
            return facts.size() > n ? facts.subList(0, n) : facts;
        }, facts -> {
            Map<String, List<String>> sets = new LinkedHashMap<>(TokenSets.defaults());
            sets.put(TokenSets.RELATED, TokenSets.relatedWords(facts));
            ProbeOptions o = base.withTokenSets(sets);
            JobHandle<ProbeJobs.Dataset> h = context.jobs().submit(
                    JobSpec.recorded(PLUGIN, "contrast-probe-dataset", "Probe " + facts.size() + " facts of " + file.getFileName(),
                            ProbeJobs.parameters(model, file, facts.size(), o), modelRef(model)),
                    ProbeJobs.dataset(model, new ArrayList<>(facts), o));
            track(h, "The data set probe");
            h.result().whenComplete((d, failure) -> {
                if (d != null) Platform.runLater(() -> show(d));
            });
        }, failure -> status.setText("Cannot read the data set: " + failure.getMessage()));
    }

    private void track(JobHandle<?> h, String what) {
        running = h;
        run.setDisable(true);
        runDataset.setDisable(true);
        JobProgressView view = new JobProgressView(h);
        view.setId("probe-job");
        jobs.getChildren().setAll(view);
        status.setText(what + " is running…");
        h.result().whenComplete((v, failure) -> Platform.runLater(() -> {
            if (running == h) running = null;
            jobs.getChildren().remove(view);
            onModelButtons();
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof JobCancelledException) {
                    status.setText(what + " was cancelled; nothing changed.");
                } else {
                    status.setText(what + " failed: " + cause.getMessage());
                    if (!(cause instanceof IllegalArgumentException))
                        context.showError(what + " failed", "The model is unchanged. Check the fields and try again; the run's log has details.", cause);
                }
            }
        }));
    }

    private void onModelButtons() {
        boolean ok = model() != null && running == null;
        run.setDisable(!ok);
        runDataset.setDisable(!ok);
    }

    private void show(ProbeJobs.Single s) {
        last = s.result();
        ProbeResult r = s.result();
        List<String> words = new ArrayList<>(List.of(r.original().word(), r.target().word()));
        for (TokenTrack t : r.extra()) words.add(t.word());
        String keep = heatWord.getEditor().getText();
        heatWord.getItems().setAll(words);
        heatWord.setValue(keep != null && words.contains(keep.strip()) ? keep.strip() : r.original().word());
        int l = r.layers() - 1;
        status.setText(String.format(java.util.Locale.ROOT, "Last layer, last token: p(%s) = %.3f (rank %d), p(%s) = %.3f (rank %d).",
                r.original().word(), r.original().prob()[l][r.last()], r.original().rank()[l][r.last()],
                r.target().word(), r.target().prob()[l][r.last()], r.target().rank()[l][r.last()]));
        regions.setText("Proposed edit regions: " + s.regions() + ". " + s.regions().reason());
        lastRegions = s.regions();
        redrawProbe();
        redrawHeatmap();
        figures.getSelectionModel().select(0);
    }

    private LayerRegions lastRegions;

    private void redrawProbe() {
        if (last == null) return;
        int extra = extraPosition.getValue() == null ? -1 : extraPosition.getValue();
        probeFigure.setChart(extra >= 0 && extra < last.tokens().length
                ? ProbeFigures.probe(last, lastRegions, extra) : ProbeFigures.probe(last, lastRegions));
    }

    private void redrawHeatmap() {
        if (last == null) return;
        String w = heatWord.getValue() == null ? "" : heatWord.getValue().strip();
        try {
            heatmap.setChart(ProbeFigures.heatmap(last, last.track(w.isEmpty() ? last.original().word() : w)));
        } catch (IllegalArgumentException e) {
            status.setText("“" + w + "” was not probed; press Run probe to add it to the heatmap.");
        }
    }

    private void show(ProbeJobs.Dataset d) {
        datasetFigure.setChart(ProbeFigures.datasetProbe(d.result(), d.regions()));
        setsFigure.setChart(ProbeFigures.tokenSets(d.result()));
        regions.setText("Proposed edit regions from " + d.result().probed() + " facts: " + d.regions() + ". " + d.regions().reason());
        status.setText(d.result().probed() + " facts probed" + (d.result().skipped().isEmpty() ? "."
                : "; " + d.result().skipped().size() + " skipped (see the run's log)."));
        figures.getSelectionModel().select(2);
    }

    /** The latest single-fact result (for tests and the screenshot). */
    public ProbeResult lastResult() { return last; }

    private static String modelRef(LanguageModel model) {
        return model.directory() != null ? model.directory().toString() : model.name();
    }
}
