package org.layerwise.probeedit.ui;

import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.probeedit.method.covariance.CovarianceStats;
import org.layerwise.probeedit.method.edit.EditHparams;
import org.layerwise.probeedit.method.edit.EditListener;
import org.layerwise.probeedit.method.edit.EditMethod;
import org.layerwise.probeedit.method.edit.EditRequest;
import org.layerwise.probeedit.method.edit.EditSession;
import org.layerwise.probeedit.method.edit.Editor;
import org.layerwise.probeedit.method.eval.EditEvaluation;
import org.layerwise.probeedit.method.eval.EvalRecord;
import org.layerwise.probeedit.method.probe.ContrastProbe;
import org.layerwise.probeedit.method.probe.LayerRegions;
import org.layerwise.probeedit.method.probe.ProbeFigures;
import org.layerwise.probeedit.method.probe.ProbeOptions;
import org.layerwise.probeedit.method.probe.ProbeRequest;
import org.layerwise.probeedit.method.probe.ProbeResult;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.figure.LineFigures;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.fx.JobProgressView;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The Edit tab: a fact to rewrite, a method and preset, Edit (a cancellable job with live optimisation curves),
 * the contrast probe before and after on the same axes, the applied edits with revert one/all, batch edits
 * from a CounterFact/zsRE file, evaluation of the edited model, and saving it as a new checkpoint.
 */
public final class EditPanel extends BorderPane {
    private static final String PLUGIN = "probe-edit";
    /** Corpus for the key statistics when the model is the sample fact model. */
    static final Path WORLD_CORPUS = Path.of("sample-data/world/train.txt");

    private final WorkbenchContext context;
    final TextField prompt = new TextField("The capital of {} is");
    final TextField subject = new TextField("France");
    final TextField targetNew = new TextField("Berlin");
    final TextField targetTrue = new TextField("Paris");
    final ChoiceBox<EditMethod> method = new ChoiceBox<>(FXCollections.observableArrayList(EditMethod.values()));
    final ComboBox<String> preset = new ComboBox<>();
    final TextField corpus = new TextField(WORLD_CORPUS.toString());
    final Button edit = new Button("Edit");
    final Button batch = new Button("Batch edit from file…");
    final Button evaluate = new Button("Evaluate…");
    final Button save = new Button("Save edited model…");
    final Button revert = new Button("Revert selected");
    final Button revertAll = new Button("Revert all");
    final ListView<EditSession.AppliedEdit> applied = new ListView<>();
    final Label status = new Label("Load a model, then edit a fact.");
    final FigurePanel curves;
    final FigurePanel probe;
    private final VBox jobs = new VBox(4);
    private EditSession session;
    private TransformerModel sessionModel;
    private JobHandle<?> running;
    /** Per step of the running edit: nll, kl, ‖δ‖, target probability. */
    private final List<double[]> curve = new ArrayList<>();

    public EditPanel(WorkbenchContext context) {
        this.context = context;
        setId("edit-panel");
        curves = new FigurePanel(context, null);
        curves.figureNameProperty().set("edit-curves");
        probe = new FigurePanel(context, null);
        probe.figureNameProperty().set("edit-probe");
        edit.setId("edit-run");
        revertAll.setId("edit-revert-all");
        revert.setId("edit-revert");
        applied.setId("edit-applied");
        status.setId("edit-status");
        curves.setId("edit-curves");
        probe.setId("edit-probe");
        method.setId("edit-method");
        preset.setId("edit-preset");
        corpus.setId("edit-corpus");
        method.setValue(EditMethod.JEEP);
        method.valueProperty().addListener((o, a, b) -> presets());
        presets();
        edit.setDefaultButton(true);
        edit.setOnAction(e -> editOne());
        batch.setOnAction(e -> chooseBatch());
        evaluate.setOnAction(e -> chooseEvaluation());
        save.setOnAction(e -> chooseSave());
        revert.setOnAction(e -> revertSelected());
        revertAll.setOnAction(e -> revertEverything());
        applied.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            @Override protected void updateItem(EditSession.AppliedEdit item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label() + String.format(Locale.ROOT, "  (%.1f s, p=%.2f)",
                        item.outcome().seconds(), item.outcome().fits().get(0).targetProb()));
            }
        });
        applied.setPrefHeight(120);

        GridPane form = new GridPane();
        form.setHgap(6);
        form.setVgap(4);
        form.addRow(0, new Label("Prompt ({} = subject)"), prompt, new Label("Subject"), subject);
        form.addRow(1, new Label("New answer"), targetNew, new Label("True answer"), targetTrue);
        form.addRow(2, new Label("Method"), method, new Label("Preset"), preset);
        form.addRow(3, new Label("Key statistics corpus"), corpus);
        GridPane.setColumnSpan(corpus, 3);
        GridPane.setHgrow(prompt, Priority.ALWAYS);
        HBox buttons = new HBox(6, edit, batch, evaluate, save);
        VBox top = new VBox(6, form, buttons, jobs, status);
        top.setPadding(new Insets(8));
        setTop(top);
        SplitPane figures = new SplitPane(curves, probe);
        setCenter(figures);
        HBox revertRow = new HBox(6, revert, revertAll);
        VBox bottom = new VBox(4, new Label("Applied edits (reverting one also reverts the edits after it)"), applied, revertRow);
        bottom.setPadding(new Insets(8));
        setBottom(bottom);
        prefill();
        context.models().selected().addListener((o, a, b) -> onModel());
        onModel();
    }

    private void presets() {
        String prefix = method.getValue().id() + "-";
        preset.getItems().setAll(EditHparams.PRESETS.stream().filter(p -> p.startsWith(prefix)).toList());
        String facts = prefix + "facts-llama";
        preset.setValue(preset.getItems().contains(facts) ? facts : preset.getItems().get(0));
    }

    /** The first request of the fact world's CounterFact set, when it is there. */
    private void prefill() {
        Path cf = Path.of("sample-data/world/counterfact.json");
        if (!Files.isRegularFile(cf)) return;
        context.tasks().execute(() -> EvalRecord.read(cf).get(0).request(), r -> {
            prompt.setText(r.prompt());
            subject.setText(r.subject());
            targetNew.setText(r.targetNew());
            targetTrue.setText(r.targetTrue());
        }, failure -> { /* keep the defaults */ });
    }

    /** Where key statistics are cached: the workbench's data directory. */
    private Path dataDir() {
        Path d = context.dataDir();
        return d != null ? d : Path.of(System.getProperty("java.io.tmpdir"), "layerwise");
    }

    private TransformerModel model() {
        LanguageModel m = context.models().selected().get();
        return m instanceof TransformerModel t ? t : null;
    }

    private void onModel() {
        TransformerModel m = model();
        if (m != sessionModel) {
            if (session != null && sessionModel != null && !session.applied().isEmpty())
                status.setText("Edits stay applied to " + sessionModel.name() + "; select it again to revert them.");
            session = m == null ? null : new EditSession(m, new CovarianceStats(dataDir(), m));
            sessionModel = m;
            applied.getItems().clear();
            if (m != null) status.setText("Ready to edit " + m.name() + ".");
        }
        buttons();
    }

    private void buttons() {
        boolean ok = session != null && running == null;
        edit.setDisable(!ok);
        batch.setDisable(!ok);
        evaluate.setDisable(!ok);
        save.setDisable(!ok || applied.getItems().isEmpty());
        revert.setDisable(!ok || applied.getItems().isEmpty());
        revertAll.setDisable(!ok || applied.getItems().isEmpty());
    }

    private EditHparams hparams() {
        return EditHparams.preset(preset.getValue());
    }

    /** Edits the fact in the fields, probing before and after. */
    public void editOne() {
        EditRequest request;
        try {
            request = new EditRequest("ui", prompt.getText(), subject.getText(), targetNew.getText(), targetTrue.getText());
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        runEdit(List.of(request), "Edit “" + request.text() + "” → " + request.targetNew());
    }

    private record EditDone(EditSession.AppliedEdit edit, ProbeResult before, ProbeResult after) {}

    private void runEdit(List<EditRequest> requests, String title) {
        if (session == null || running != null) return;
        EditHparams hp = hparams();
        String presetName = preset.getValue();
        TransformerModel m = sessionModel;
        EditSession s = session;
        Path corpusFile = Path.of(corpus.getText().strip());
        EditRequest first = requests.get(0);
        ProbeRequest probeRequest = new ProbeRequest(first.prompt(), first.subject(),
                first.targetTrue().isBlank() ? "?" : first.targetTrue(), first.targetNew());
        curve.clear();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("method", hp.method());
        params.put("preset", presetName);
        params.put("requests", requests.size());
        params.put("first", first.text() + " → " + first.targetNew());
        params.put("hparams", hp.toJson());
        JobHandle<EditDone> h = context.jobs().submit(JobSpec.recorded(PLUGIN, "edit", title, params,
                m.directory() == null ? m.name() : m.directory().toString()), ctx -> {
            ProbeResult before = ContrastProbe.run(m, probeRequest, ProbeOptions.paper());
            CovarianceStats cov = new CovarianceStats(dataDir(), m);
            if (!Files.isRegularFile(corpusFile))
                throw new IllegalArgumentException("no corpus " + corpusFile + " for the key statistics; choose a text file, one text per line");
            cov.compute(m, corpusFile, Editor.touchedParameters(hp).stream().mapToInt(p -> Integer.parseInt(p.split("\\.")[1])).toArray(),
                    100_000, (f, msg) -> ctx.progress(0.2 * f, "key statistics: " + msg), ctx::isCancelled);
            long[] n = {0};
            EditSession.AppliedEdit e = s.apply(requests, hp, presetName, new EditListener() {
                @Override public void step(int i, int st, double nll, double kl, double norm, double p) {
                    long k = n[0]++;
                    ctx.metric("edit/nll", k, nll);
                    ctx.metric("edit/kl", k, kl);
                    ctx.metric("edit/delta_norm", k, norm);
                    ctx.metric("edit/target_prob", k, p);
                    double[] point = {nll, kl, norm, p};
                    Platform.runLater(() -> { curve.add(point); drawCurves(); });
                }
                @Override public void stage(double f, String msg) { ctx.progress(0.2 + 0.7 * f, msg); }
                @Override public void log(String line) { ctx.log(line); }
            }, ctx::isCancelled);
            ProbeResult after = ContrastProbe.run(m, probeRequest, ProbeOptions.paper());
            return new EditDone(e, before, after);
        });
        track(h, "The edit");
        h.result().whenComplete((d, failure) -> {
            if (d != null) Platform.runLater(() -> {
                applied.getItems().setAll(s.applied());
                drawCurves();
                probe.setChart(ProbeFigures.beforeAfter(d.before(), d.after(), LayerRegions.propose(d.before())));
                var fit = d.edit().outcome().fits().get(0);
                status.setText(String.format(Locale.ROOT, "Edited with %s in %.1f s: target probability %.2f after %d steps. Top answer now: %s",
                        d.edit().method().id(), d.edit().outcome().seconds(), fit.targetProb(), fit.steps(),
                        m.nextTokens(first.text(), 1).get(0).token().strip()));
                buttons();
            });
        });
    }

    private void drawCurves() {
        if (curve.isEmpty()) return;
        double[] x = new double[curve.size()], nll = new double[x.length], prob = new double[x.length], norm = new double[x.length], kl = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            nll[i] = curve.get(i)[0];
            kl[i] = curve.get(i)[1];
            norm[i] = curve.get(i)[2];
            prob[i] = curve.get(i)[3];
        }
        JFreeChart c = LineFigures.builder("Target optimisation", "step", "NLL / KL / ‖δ‖")
                .series("NLL of the new answer", x, nll).series("KL on \"{} is a\"", x, kl).series("‖δ‖ / 10", x,
                        java.util.Arrays.stream(norm).map(v -> v / 10).toArray())
                .secondaryAxis("target probability", false, false).secondarySeries("target probability", x, prob).build();
        curves.setChart(c);
    }

    private void chooseBatch() {
        FileChooser fc = new FileChooser();
        fc.setTitle("CounterFact or zsRE requests");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) batchFrom(f.toPath(), 100);
    }

    /** Applies the first {@code limit} requests of a CounterFact/zsRE file as one batch. */
    public void batchFrom(Path file, int limit) {
        context.tasks().execute(() -> EvalRecord.read(file), records -> {
            List<EditRequest> reqs = records.stream().limit(limit).map(EvalRecord::request).toList();
            runEdit(reqs, "Edit " + reqs.size() + " facts from " + file.getFileName());
        }, failure -> status.setText("Cannot read " + file.getFileName() + ": " + failure.getMessage()));
    }

    private void chooseEvaluation() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Records to evaluate (CounterFact or zsRE)");
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) evaluateOn(f.toPath(), 200);
    }

    /** Scores the (edited) model on the first {@code limit} records; each record's result is a trace of the run. */
    public void evaluateOn(Path file, int limit) {
        if (session == null || running != null) return;
        TransformerModel m = sessionModel;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("records", file.toString());
        params.put("limit", limit);
        params.put("applied_edits", session.applied().size());
        JobHandle<EditEvaluation.Summary> h = context.jobs().submit(JobSpec.recorded(PLUGIN, "eval-edits",
                "Evaluate " + m.name() + " on " + file.getFileName(), params, m.name()), ctx -> {
            List<EvalRecord> records = EvalRecord.read(file).stream().limit(limit).toList();
            List<EditEvaluation.RecordResult> rs = new ArrayList<>();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (int i = 0; i < records.size(); i++) {
                ctx.checkCancelled();
                EditEvaluation.RecordResult r = EditEvaluation.evaluate(m, records.get(i), false);
                ctx.trace("record", json.writeValueAsString(r));
                rs.add(r);
                ctx.progress((i + 1.0) / records.size(), "evaluated " + (i + 1) + "/" + records.size());
            }
            EditEvaluation.Summary s = EditEvaluation.Summary.of(rs);
            ctx.metric("ES", 0, s.es());
            ctx.metric("GS", 0, s.gs());
            ctx.metric("LS", 0, s.ls());
            ctx.metric("Score", 0, s.score());
            return s;
        });
        track(h, "The evaluation");
        h.result().whenComplete((s, failure) -> {
            if (s != null) Platform.runLater(() -> status.setText(String.format(Locale.ROOT,
                    "%d records: ES %.1f  GS %.1f  LS %.1f  Score %.1f  (per-record results are in the run)", s.records(), s.es(), s.gs(), s.ls(), s.score())));
        });
    }

    private void chooseSave() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Folder for the edited model");
        File f = dc.showDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) saveTo(f.toPath().resolve(sessionModel.name() + "-edited"));
    }

    public void saveTo(Path dir) {
        EditSession s = session;
        context.tasks().execute(() -> { s.save(dir); return dir; },
                d -> status.setText("Saved the edited model and edit_log.json to " + d),
                failure -> context.showError("Saving the edited model failed", "Choose a writable folder with room and try again.", failure));
    }

    private void revertSelected() {
        EditSession.AppliedEdit e = applied.getSelectionModel().getSelectedItem();
        if (e == null) { status.setText("Select an edit to revert."); return; }
        List<EditSession.AppliedEdit> removed = session.revert(e);
        applied.getItems().setAll(session.applied());
        status.setText("Reverted " + removed.size() + " edit(s); weights checksum " + EditSession.checksum(sessionModel).substring(0, 12));
        buttons();
    }

    private void revertEverything() {
        session.revertAll();
        applied.getItems().clear();
        status.setText("Reverted every edit; weights checksum " + EditSession.checksum(sessionModel).substring(0, 12));
        buttons();
    }

    private void track(JobHandle<?> h, String what) {
        running = h;
        buttons();
        JobProgressView view = new JobProgressView(h);
        view.setId("edit-job");
        jobs.getChildren().setAll(view);
        status.setText(what + " is running…");
        h.result().whenComplete((v, failure) -> Platform.runLater(() -> {
            if (running == h) running = null;
            jobs.getChildren().remove(view);
            buttons();
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof JobCancelledException) status.setText(what + " was cancelled; the model is unchanged.");
                else {
                    status.setText(what + " failed: " + cause.getMessage());
                    if (!(cause instanceof IllegalArgumentException))
                        context.showError(what + " failed", "The model is unchanged. Check the fields and try again; the run's log has details.", cause);
                }
            }
        }));
    }

    ObservableList<EditSession.AppliedEdit> appliedEdits() { return applied.getItems(); }
}
