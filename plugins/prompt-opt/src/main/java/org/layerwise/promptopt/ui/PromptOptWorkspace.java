package org.layerwise.promptopt.ui;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.util.Duration;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.promptopt.method.BackendChoice;
import org.layerwise.promptopt.method.Candidate;
import org.layerwise.promptopt.method.FeedbackExample;
import org.layerwise.promptopt.method.ItemResult;
import org.layerwise.promptopt.method.OptimizationResult;
import org.layerwise.promptopt.method.PromptDiff;
import org.layerwise.promptopt.method.PromptOptimisation;
import org.layerwise.promptopt.method.PromptTrace;
import org.layerwise.promptopt.method.RunControl;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.fx.JobProgressView;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prompt-optimisation workspace: start GRACE or OPRO on a task with the base and optimizer models each a loaded
 * model or a URL, pause, resume or cancel it, and follow its trace live from the run store (or open an earlier run):
 * the score per iteration with accepted, rejected and compression events, the candidate tree, the 3 + 3 feedback
 * examples and the optimizer exchange behind each candidate, a diff and an item-by-item comparison of any two
 * prompts, and the budget counters.
 */
public final class PromptOptWorkspace extends BorderPane {
    private final WorkbenchContext context;
    private final TextField taskFile = new TextField("sample-data/bbh/snarks.json");
    private final ComboBox<String> baseChoice = new ComboBox<>(), optimizerChoice = new ComboBox<>();
    private final ChoiceBox<String> method = new ChoiceBox<>(FXCollections.observableArrayList("grace", "opro"));
    private final TextField budget = new TextField("0"), iterations = new TextField("0"), evalLimit = new TextField("0");
    private final Button start = new Button("Start"), pause = new Button("Pause"), cancel = new Button("Cancel");
    private final ComboBox<RunRecord> runs = new ComboBox<>();
    private final VBox progress = new VBox();
    private final FigurePanel scoreFigure;
    private final TreeView<Candidate> tree = new TreeView<>();
    private final Label summary = new Label("No run open."), budgetLabel = new Label();
    private final TextArea promptText = readOnly(), optimizerRequest = readOnly(), optimizerResponse = readOnly();
    private final Label candidateLabel = new Label();
    private final VBox feedbackBox = new VBox(8);
    private final ComboBox<Candidate> diffA = new ComboBox<>(), diffB = new ComboBox<>();
    private final TextFlow diffFlow = new TextFlow();
    private final ComboBox<Candidate> cmpA = new ComboBox<>(), cmpB = new ComboBox<>();
    private final CheckBox onlyDisagreements = new CheckBox("only items where they differ");
    private final TableView<ItemRow> items = new TableView<>();
    private final Label itemSummary = new Label();
    private final TabPane tabs = new TabPane();
    private final Timeline poll;
    private PromptTrace trace;
    private long runId = -1;
    private JobHandle<OptimizationResult> job;
    private RunControl control;
    private boolean reading;

    /** A row of the item-by-item comparison. */
    public record ItemRow(String id, String predictionA, boolean correctA, String predictionB, boolean correctB) {}

    public PromptOptWorkspace(WorkbenchContext context) {
        this.context = context;
        this.scoreFigure = new FigurePanel(context, TraceCharts.scores(PromptTrace.read(List.of())));
        scoreFigure.figureNameProperty().set("prompt-opt-scores");
        setPadding(new Insets(8));
        setTop(controls());
        setCenter(body());
        setBottom(progress);
        poll = new Timeline(new KeyFrame(Duration.seconds(1), e -> refresh()));
        poll.setCycleCount(Timeline.INDEFINITE);
        recall();
        refreshRuns();
        updateButtons();
    }

    private VBox controls() {
        method.setValue("grace");
        for (ComboBox<String> c : List.of(baseChoice, optimizerChoice)) {
            c.setEditable(true);
            c.setPrefWidth(260);
            c.setPromptText("loaded model, folder or http://…/v1");
        }
        context.models().all().forEach(m -> addModel(m));
        context.models().all().addListener((javafx.collections.ListChangeListener<LanguageModel>) ch -> {
            while (ch.next()) ch.getAddedSubList().forEach(this::addModel);
        });
        budget.setPrefColumnCount(4);
        iterations.setPrefColumnCount(4);
        evalLimit.setPrefColumnCount(4);
        taskFile.setPrefColumnCount(24);
        start.setOnAction(e -> startRun());
        pause.setOnAction(e -> togglePause());
        cancel.setOnAction(e -> { if (job != null) job.cancel(); });
        runs.setPromptText("open a recorded run…");
        runs.setCellFactory(v -> new RunCell());
        runs.setButtonCell(new RunCell());
        runs.setOnAction(e -> { if (runs.getValue() != null) open(runs.getValue().id()); });
        Button reload = new Button("↻");
        reload.setOnAction(e -> refreshRuns());
        FlowPane row1 = new FlowPane(8, 6, new Label("Task"), taskFile, new Label("Base"), baseChoice,
                new Label("Optimizer"), optimizerChoice);
        FlowPane row2 = new FlowPane(8, 6, new Label("Method"), method, new Label("Budget (optimizer calls, 0 = published)"),
                budget, new Label("Iterations"), iterations, new Label("Eval items (0 = all)"), evalLimit, start, pause, cancel,
                new Label("   "), runs, reload);
        summary.setWrapText(true);
        budgetLabel.setWrapText(true);
        VBox box = new VBox(6, row1, row2, summary, budgetLabel);
        box.setPadding(new Insets(0, 0, 8, 0));
        return box;
    }

    private void addModel(LanguageModel m) {
        String label = "loaded: " + m.name();
        if (!baseChoice.getItems().contains(label)) {
            baseChoice.getItems().add(label);
            optimizerChoice.getItems().add(label);
        }
    }

    private SplitPane body() {
        tree.setShowRoot(true);
        tree.setCellFactory(v -> new javafx.scene.control.TreeCell<>() {
            @Override protected void updateItem(Candidate c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null : describe(c));
                setStyle(empty || c == null ? "" : c.accepted() ? "-fx-font-weight: bold;" : "-fx-text-fill: #777;");
            }
        });
        tree.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> show(b == null ? null : b.getValue()));
        VBox treeBox = new VBox(6, new Label("Candidates (bold: accepted; grey: rejected)"), tree);
        VBox.setVgrow(tree, Priority.ALWAYS);
        scoreFigure.setMinHeight(220);
        SplitPane left = new SplitPane(scoreFigure, treeBox);
        left.setOrientation(Orientation.VERTICAL);
        left.setDividerPositions(0.5);

        VBox candidate = new VBox(6, candidateLabel, promptText);
        VBox.setVgrow(promptText, Priority.ALWAYS);
        javafx.scene.control.ScrollPane feedbackScroll = new javafx.scene.control.ScrollPane(feedbackBox);
        feedbackScroll.setFitToWidth(true);
        SplitPane exchange = new SplitPane(titled("Request to the optimizer", optimizerRequest),
                titled("Optimizer's answer", optimizerResponse));
        exchange.setOrientation(Orientation.VERTICAL);

        for (ComboBox<Candidate> c : List.of(diffA, diffB, cmpA, cmpB)) {
            c.setCellFactory(v -> new CandidateCell());
            c.setButtonCell(new CandidateCell());
        }
        diffA.setOnAction(e -> showDiff());
        diffB.setOnAction(e -> showDiff());
        javafx.scene.control.ScrollPane diffScroll = new javafx.scene.control.ScrollPane(diffFlow);
        diffScroll.setFitToWidth(true);
        VBox diff = new VBox(6, new HBox(8, new Label("from"), diffA, new Label("to"), diffB), diffScroll);
        VBox.setVgrow(diffScroll, Priority.ALWAYS);

        cmpA.setOnAction(e -> showItems());
        cmpB.setOnAction(e -> showItems());
        onlyDisagreements.setOnAction(e -> showItems());
        items.getColumns().setAll(List.of(column("item", ItemRow::id), column("A predicts", r -> mark(r.predictionA(), r.correctA())),
                column("B predicts", r -> mark(r.predictionB(), r.correctB()))));
        items.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        VBox compare = new VBox(6, new HBox(8, new Label("A"), cmpA, new Label("B"), cmpB, onlyDisagreements), itemSummary, items);
        VBox.setVgrow(items, Priority.ALWAYS);

        tabs.getTabs().setAll(tab("Candidate", candidate), tab("Feedback (3 + 3)", feedbackScroll),
                tab("Optimizer exchange", exchange), tab("Diff", diff), tab("Items", compare));
        SplitPane split = new SplitPane(left, tabs);
        split.setDividerPositions(0.48);
        return split;
    }

    // ------------------------------------------------------------------ running

    private void startRun() {
        try {
            BackendChoice base = choice(baseChoice.getEditor().getText());
            String optText = optimizerChoice.getEditor().getText();
            BackendChoice optimizer = optText == null || optText.isBlank() ? base : choice(optText);
            remember();
            PromptOptimisation request = new PromptOptimisation(taskPath(taskFile.getText().trim()), base, optimizer,
                    method.getValue(), integer(budget, "budget"), integer(iterations, "iterations"), 0, 42, 42, 0,
                    integer(evalLimit, "eval items"), 0, 0, 0, 4, null);
            control = new RunControl();
            job = context.jobs().submit(JobSpec.recorded("prompt-opt", request.method(), request.title(),
                    request.runParameters(), base.describe()), request.job(control));
            JobProgressView view = new JobProgressView(job);
            view.setOnDone(v -> {
                refresh();
                poll.stop();
                job = null;
                updateButtons();
                refreshRuns();
            });
            progress.getChildren().setAll(view);
            runId = -1;
            trace = null;
            poll.play();
            updateButtons();
        } catch (IllegalArgumentException e) {
            context.showError("Cannot start the optimisation", e.getMessage(), e);
        }
    }

    /** A relative task path is looked up in the working folder, then in the installation (sample-data/…). */
    static Path taskPath(String text) {
        Path p = Path.of(text);
        String install = System.getProperty("layerwise.install");
        if (!p.isAbsolute() && !java.nio.file.Files.exists(p) && install != null) {
            Path there = Path.of(install).resolve(p);
            if (java.nio.file.Files.exists(there)) return there;
        }
        if (!java.nio.file.Files.isRegularFile(p))
            throw new IllegalArgumentException("The task file " + p.toAbsolutePath() + " does not exist; give a BIG-bench .json or a .jsonl file");
        return p;
    }

    /** The form's task and backends are kept in the plugin's settings (URLs only; a key comes from the environment). */
    private void remember() {
        var prefs = context.settings("prompt-opt");
        prefs.put("task", taskFile.getText());
        prefs.put("base", baseChoice.getEditor().getText() == null ? "" : baseChoice.getEditor().getText());
        prefs.put("optimizer", optimizerChoice.getEditor().getText() == null ? "" : optimizerChoice.getEditor().getText());
        prefs.put("method", method.getValue());
    }

    private void recall() {
        var prefs = context.settings("prompt-opt");
        taskFile.setText(prefs.get("task", taskFile.getText()));
        String base = prefs.get("base", ""), optimizer = prefs.get("optimizer", "");
        if (!base.startsWith("loaded: ")) baseChoice.getEditor().setText(base);
        if (!optimizer.startsWith("loaded: ")) optimizerChoice.getEditor().setText(optimizer);
        method.setValue(prefs.get("method", "grace"));
    }

    private BackendChoice choice(String text) {
        if (text == null || text.isBlank())
            throw new IllegalArgumentException("Choose the base model: a loaded model, a model folder or an http://…/v1 URL");
        String t = text.trim();
        if (t.startsWith("loaded: ")) {
            String name = t.substring("loaded: ".length());
            for (LanguageModel m : context.models().all())
                if (m.name().equals(name) && m instanceof TransformerModel tm) return BackendChoice.loaded(tm);
            throw new IllegalArgumentException("The model " + name + " is no longer loaded");
        }
        return BackendChoice.of(t, null);
    }

    private static int integer(TextField f, String what) {
        try {
            return Integer.parseInt(f.getText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, was '" + f.getText() + "'");
        }
    }

    private void togglePause() {
        if (control == null) return;
        if (control.paused()) control.resume();
        else control.pause();
        updateButtons();
    }

    private void updateButtons() {
        boolean running = job != null;
        start.setDisable(running);
        pause.setDisable(!running);
        cancel.setDisable(!running);
        pause.setText(control != null && control.paused() ? "Resume" : "Pause");
    }

    // ------------------------------------------------------------------ reading traces

    private void refreshRuns() {
        if (context.runStore() == null) return;
        context.tasks().execute(() -> context.runStore().list(new RunQuery("prompt-opt", null, null, 200)),
                list -> runs.getItems().setAll(list), e -> { });
    }

    /** Opens a recorded run (finished or still running elsewhere). */
    public void open(long id) {
        runId = id;
        refresh();
    }

    private void refresh() {
        if (runId < 0 && job != null && job.runId() >= 0) runId = job.runId();
        if (runId < 0 || reading || context.runStore() == null) return;
        reading = true;
        long id = runId;
        context.tasks().execute(() -> PromptTrace.read(context.runStore().traces(id)), t -> {
            reading = false;
            show(t);
        }, e -> {
            reading = false;
            context.showError("Cannot read run " + id, "Check the run store (layerwise runs show " + id + ").", e);
        });
    }

    /** Shows a trace (also used by tests and the screenshot). */
    public void show(PromptTrace t) {
        boolean grew = trace == null || t.candidates().size() != trace.candidates().size() || t.result() != trace.result();
        trace = t;
        budgetLabel.setText(budgetText(t));
        if (!grew) return;
        scoreFigure.setChart(TraceCharts.scores(t));
        if (t.setup() != null) {
            summary.setText(t.setup().path("method").asText().toUpperCase(Locale.ROOT) + " on " + t.setup().path("task").asText()
                    + " — base " + t.setup().path("base").asText() + ", optimizer " + t.setup().path("optimizer").asText()
                    + (t.result() != null ? String.format(Locale.ROOT, " — final pick #%d, test %.3f (%s)",
                    t.result().path("chosen").asInt(), t.result().path("test_accuracy").asDouble(),
                    t.result().path("stop_reason").asText()) : "")
                    + (t.error() != null ? " — failed: " + t.error().path("message").asText() : ""));
        }
        Candidate selected = tree.getSelectionModel().getSelectedItem() == null ? null
                : tree.getSelectionModel().getSelectedItem().getValue();
        Map<Integer, TreeItem<Candidate>> nodes = new HashMap<>();
        TreeItem<Candidate> root = null;
        for (Candidate c : t.candidates()) {
            TreeItem<Candidate> item = new TreeItem<>(c);
            item.setExpanded(true);
            nodes.put(c.id(), item);
            TreeItem<Candidate> parent = nodes.get(c.parent());
            if (parent == null) root = item;
            else parent.getChildren().add(item);
        }
        tree.setRoot(root);
        List<Candidate> all = t.candidates();
        for (ComboBox<Candidate> c : List.of(diffA, diffB, cmpA, cmpB)) {
            Candidate keep = c.getValue();
            c.getItems().setAll(all);
            if (keep != null) c.setValue(t.candidate(keep.id()));
        }
        if (!all.isEmpty()) {
            if (diffA.getValue() == null) diffA.setValue(all.get(0));
            if (diffB.getValue() == null) diffB.setValue(all.get(all.size() - 1));
            if (cmpA.getValue() == null) cmpA.setValue(all.get(0));
            if (cmpB.getValue() == null) cmpB.setValue(all.get(all.size() - 1));
        }
        if (selected != null && nodes.containsKey(selected.id())) tree.getSelectionModel().select(nodes.get(selected.id()));
        else if (root != null) tree.getSelectionModel().select(root);
        showDiff();
        showItems();
    }

    static String budgetText(PromptTrace t) {
        if (t.budget().isEmpty() && t.result() == null) return "";
        com.fasterxml.jackson.databind.JsonNode b = t.result() != null ? t.result() : t.budget().get(t.budget().size() - 1);
        com.fasterxml.jackson.databind.JsonNode base = b.path("base"), opt = b.path("optimizer");
        return String.format(Locale.ROOT, "Budget: optimizer %d/%d calls, %,d in / %,d out tokens; base %,d calls, %,d in / %,d out tokens",
                b.path("optimizer_calls").asInt(), t.setup() == null ? 0 : t.setup().path("optimizer_budget").asInt(),
                opt.path("input_tokens").asLong(), opt.path("output_tokens").asLong(), base.path("calls").asLong(),
                base.path("input_tokens").asLong(), base.path("output_tokens").asLong());
    }

    private void show(Candidate c) {
        feedbackBox.getChildren().clear();
        if (c == null) {
            candidateLabel.setText("");
            promptText.clear();
            optimizerRequest.clear();
            optimizerResponse.clear();
            return;
        }
        String usage = c.optimizerUsage() == null ? "" : String.format(Locale.ROOT,
                "   |   after it: optimizer %d calls, base %d calls", c.optimizerUsage().calls(), c.baseUsage().calls());
        candidateLabel.setText(describe(c) + (Double.isNaN(c.evalBefore()) ? "" : String.format(Locale.ROOT,
                "   |   best before %.3f, rejections in a row %d", c.evalBefore(), c.rejectionsInARow()))
                + (c.extraction() != null && !c.extraction().equals("tagged") ? "   |   " + c.extraction() : "") + usage);
        promptText.setText(c.prompt());
        optimizerRequest.setText(c.optimizerPrompt() == null ? "(the initial prompt: no optimizer call)" : c.optimizerPrompt());
        optimizerResponse.setText(c.optimizerResponse() == null ? "" : c.optimizerResponse());
        if (c.feedback().isEmpty())
            feedbackBox.getChildren().add(new Label(c.action().equals("compress") ? "Compression uses no feedback examples."
                    : c.action().equals("root") ? "The initial prompt has no feedback." : "No feedback examples."));
        for (FeedbackExample f : c.feedback()) {
            Label head = new Label((f.correct() ? "✔ success" : "✘ failure") + " — " + f.itemId() + " — label " + f.label()
                    + ", predicted " + f.prediction());
            head.setStyle(f.correct() ? "-fx-text-fill: #1b7f3b; -fx-font-weight: bold;" : "-fx-text-fill: #b3261e; -fx-font-weight: bold;");
            TextArea body = readOnly();
            body.setText(f.input() + "\n\n— model —\n" + f.reasoning());
            body.setPrefRowCount(6);
            feedbackBox.getChildren().add(new VBox(2, head, body));
        }
    }

    private void showDiff() {
        diffFlow.getChildren().clear();
        if (diffA.getValue() == null || diffB.getValue() == null) return;
        for (PromptDiff.Segment s : PromptDiff.of(diffA.getValue().prompt(), diffB.getValue().prompt())) {
            Text t = new Text(s.text());
            switch (s.kind()) {
                case ADDED -> { t.setFill(Color.web("#1b7f3b")); t.setUnderline(true); }
                case REMOVED -> { t.setFill(Color.web("#b3261e")); t.setStrikethrough(true); }
                default -> { }
            }
            diffFlow.getChildren().add(t);
        }
    }

    /** Both prompts' eval answers side by side. */
    static List<ItemRow> compare(Candidate a, Candidate b, boolean onlyDifferent) {
        Map<String, ItemResult> byId = new HashMap<>();
        for (ItemResult r : b.items()) byId.put(r.itemId(), r);
        List<ItemRow> rows = new ArrayList<>();
        for (ItemResult r : a.items()) {
            ItemResult other = byId.get(r.itemId());
            if (other == null) continue;
            if (onlyDifferent && r.correct() == other.correct() && java.util.Objects.equals(r.prediction(), other.prediction())) continue;
            rows.add(new ItemRow(r.itemId(), r.prediction(), r.correct(), other.prediction(), other.correct()));
        }
        return rows;
    }

    private void showItems() {
        if (cmpA.getValue() == null || cmpB.getValue() == null) return;
        List<ItemRow> rows = compare(cmpA.getValue(), cmpB.getValue(), onlyDisagreements.isSelected());
        items.getItems().setAll(rows);
        List<ItemRow> all = compare(cmpA.getValue(), cmpB.getValue(), false);
        long onlyA = all.stream().filter(r -> r.correctA() && !r.correctB()).count();
        long onlyB = all.stream().filter(r -> !r.correctA() && r.correctB()).count();
        itemSummary.setText(String.format(Locale.ROOT, "%d items: A right %d, B right %d; only A right %d, only B right %d",
                all.size(), all.stream().filter(ItemRow::correctA).count(), all.stream().filter(ItemRow::correctB).count(), onlyA, onlyB));
    }

    // ------------------------------------------------------------------ small pieces

    static String describe(Candidate c) {
        String what = switch (c.action()) {
            case "root" -> "start";
            case "compress" -> "compressed (no gate)";
            default -> c.accepted() ? "accepted" : "rejected";
        };
        return String.format(Locale.ROOT, "#%d %s · iteration %d · eval %.3f · %s", c.id(), c.action(), c.iteration(), c.evalAfter(), what);
    }

    private static String mark(String prediction, boolean correct) {
        return (prediction == null ? "format error" : prediction) + (correct ? "  ✔" : "  ✘");
    }

    private static TableColumn<ItemRow, String> column(String title, java.util.function.Function<ItemRow, String> f) {
        TableColumn<ItemRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(f.apply(d.getValue())));
        return c;
    }

    private static TextArea readOnly() {
        TextArea a = new TextArea();
        a.setEditable(false);
        a.setWrapText(true);
        return a;
    }

    private static Tab tab(String title, javafx.scene.Node content) {
        Tab t = new Tab(title, content);
        t.setClosable(false);
        return t;
    }

    private static VBox titled(String title, TextArea area) {
        VBox v = new VBox(4, new Label(title), area);
        VBox.setVgrow(area, Priority.ALWAYS);
        return v;
    }

    public TreeView<Candidate> candidateTree() { return tree; }

    public TableView<ItemRow> itemTable() { return items; }

    public TextFlow diffView() { return diffFlow; }

    public VBox feedbackView() { return feedbackBox; }

    public FigurePanel scoreFigure() { return scoreFigure; }

    public Label budgetLabel() { return budgetLabel; }

    public TabPane tabs() { return tabs; }

    public Button pauseButton() { return pause; }

    Button startButton() { return start; }

    Button cancelButton() { return cancel; }

    /** Fills the form as a user would (tests and scripted demos). */
    void fill(String task, String base, String optimizer, int iterationCount, int evalItems) {
        taskFile.setText(task);
        baseChoice.getEditor().setText(base);
        optimizerChoice.getEditor().setText(optimizer);
        iterations.setText(String.valueOf(iterationCount));
        evalLimit.setText(String.valueOf(evalItems));
    }

    long runId() { return runId; }

    private static final class CandidateCell extends ListCell<Candidate> {
        @Override protected void updateItem(Candidate c, boolean empty) {
            super.updateItem(c, empty);
            setText(empty || c == null ? null : describe(c));
        }
    }

    private static final class RunCell extends ListCell<RunRecord> {
        @Override protected void updateItem(RunRecord r, boolean empty) {
            super.updateItem(r, empty);
            setText(empty || r == null ? null : "run " + r.id() + " · " + r.title() + " · " + r.status());
        }
    }

}
