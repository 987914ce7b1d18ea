package org.layerwise.builder.ui;

import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.jfree.chart.JFreeChart;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.EncoderDecoderModel;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.figure.LineFigures;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.fx.JobProgressView;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The builder workspace: its settings in the shell's right-hand parameter sheet ({@link BuilderParameters}:
 * registry choices as choice boxes, switches as check boxes, sizes as fields), and tabs for the stack diagram
 * with parameter counts, the JSON (edited in step with the sheet), and pretraining with a live loss curve,
 * save and "Open in model bar".
 */
public final class BuilderWorkspace extends BorderPane {
    private final WorkbenchContext context;
    private final BuilderViewModel model = new BuilderViewModel(Platform::runLater);
    private final StackDiagram diagram = new StackDiagram();
    private final FigurePanel lossFigure;
    private final BuilderParameters parameters;
    /** The key being edited in the sheet, while its edit reaches the config (null otherwise). */
    private String editing;
    private boolean redrawPending;

    public BuilderWorkspace(WorkbenchContext context) {
        this.context = context;
        this.lossFigure = new FigurePanel(context, lossChart());
        lossFigure.figureNameProperty().set("pretraining-loss");
        this.parameters = new BuilderParameters(model.config(), this::editedInSheet);
        TabPane tabs = new TabPane(diagramTab(), jsonTab(), trainingTab());
        tabs.setId("builder-tabs");
        setCenter(tabs);
        model.configProperty().addListener((o, a, c) -> configChanged());
        model.losses().addListener((ListChangeListener<double[]>) ch -> scheduleRedraw());
        model.targetLosses().addListener((ListChangeListener<BuilderViewModel.TargetLoss>) ch -> scheduleRedraw());
        model.evalLosses().addListener((ListChangeListener<double[]>) ch -> scheduleRedraw());
        diagram.show(model.config(), model.countsProperty().get());
        context.showParameters(parameters);
    }

    private void editedInSheet(String key, String value) {
        editing = key;
        try {
            if (key.equals(BuilderParameters.PRESET)) model.applyPreset(value);
            else model.set(key, value);
        } finally {
            editing = null;
        }
    }

    /**
     * The config changed (sheet, JSON or preset): the diagram follows, and the sheet shows the new values. An
     * edit of one key in the sheet already shows there, so the sheet is rebuilt only when other keys may
     * have changed (a preset, the JSON), which keeps the field being typed in.
     */
    private void configChanged() {
        parameters.load(model.config());
        diagram.show(model.config(), model.countsProperty().get());
        if (editing == null) context.showParameters(parameters);
        else if (editing.equals(BuilderParameters.PRESET)) Platform.runLater(() -> context.showParameters(parameters));
    }

    private Tab diagramTab() {
        ListView<String> problems = new ListView<>(model.problems());
        problems.setPrefHeight(110);
        Label trainable = new Label();
        trainable.textProperty().bind(model.trainabilityProperty());
        trainable.setWrapText(true);
        VBox box = new VBox(8, new ScrollPane(diagram), new Label("Problems"), problems, trainable);
        box.setPadding(new Insets(8));
        VBox.setVgrow(box.getChildren().get(0), Priority.ALWAYS);
        return fixed(new Tab("Architecture", box));
    }

    private Tab jsonTab() {
        TextArea text = new TextArea();
        text.setId("builder-json");
        text.setStyle("-fx-font-family: monospace");
        text.textProperty().bindBidirectional(model.jsonProperty());
        Label error = new Label();
        error.textProperty().bind(model.jsonErrorProperty());
        error.setStyle("-fx-text-fill: #b00020");
        Button save = new Button("Save config…");
        save.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName("model-config.json");
            File f = chooser.showSaveDialog(getScene().getWindow());
            if (f == null) return;
            String json = model.config().toJson();
            context.tasks().execute(() -> AtomicFiles.writeString(f.toPath(), json), path -> { },
                    ex -> context.showError("Could not save the config", "Choose a writable folder and save again", ex));
        });
        VBox box = new VBox(6, text, error, save);
        VBox.setVgrow(text, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        return fixed(new Tab("JSON", box));
    }

    private Tab trainingTab() {
        TextField corpus = new TextField();
        TextField tokenizer = new TextField();
        TextField out = new TextField();
        corpus.setId("builder-corpus");
        tokenizer.setId("builder-tokenizer");
        out.setId("builder-out");
        corpus.setPromptText("corpus.txt (one sequence per line)");
        tokenizer.setPromptText("tokenizer.json or its folder");
        out.setPromptText("folder for the trained model");
        Button start = new Button("Start pretraining");
        start.setId("builder-start");
        Button open = new Button("Open in model bar");
        // the model bar holds language models; an encoder-decoder folder opens with EncoderDecoderModel.load
        open.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            Path trained = model.trainedModelProperty().get();
            return trained == null || EncoderDecoderModel.isEncoderDecoderFolder(trained);
        }, model.trainedModelProperty()));
        open.setOnAction(e -> context.models().load(model.trainedModelProperty().get()));
        VBox progress = new VBox();
        start.setOnAction(e -> {
            try {
                var handle = model.startPretraining(context.jobs(), Path.of(corpus.getText().trim()),
                        Path.of(tokenizer.getText().trim()), Path.of(out.getText().trim()));
                progress.getChildren().setAll(new JobProgressView(handle));
            } catch (RuntimeException ex) {
                context.showError("Cannot start pretraining", "Fix the config or the paths and start again", ex);
            }
        });
        GridPane paths = new GridPane();
        paths.setHgap(8);
        paths.setVgap(6);
        paths.addRow(0, new Label("Corpus"), corpus, chooseFile(corpus, false));
        paths.addRow(1, new Label("Tokenizer"), tokenizer, chooseFile(tokenizer, false));
        paths.addRow(2, new Label("Save to"), out, chooseFile(out, true));
        GridPane.setHgrow(corpus, Priority.ALWAYS);
        VBox box = new VBox(8, paths, new HBox(8, start, open), progress, lossFigure);
        VBox.setVgrow(lossFigure, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        return fixed(new Tab("Pretrain", box));
    }

    private Button chooseFile(TextField target, boolean folder) {
        Button b = new Button("…");
        b.setOnAction(e -> {
            File f = folder ? new DirectoryChooser().showDialog(getScene().getWindow())
                    : new FileChooser().showOpenDialog(getScene().getWindow());
            if (f != null) target.setText(f.getPath());
        });
        return b;
    }

    /** Redraws the loss curve at most four times a second however fast the steps come. */
    private void scheduleRedraw() {
        if (redrawPending) return;
        redrawPending = true;
        PauseTransition wait = new PauseTransition(Duration.millis(250));
        wait.setOnFinished(e -> {
            redrawPending = false;
            lossFigure.setChart(lossChart());
        });
        wait.play();
    }

    private JFreeChart lossChart() {
        LineFigures.Builder b = LineFigures.builder("Pretraining loss", "step", "loss").integerX(true);
        b.series("train", column(model.losses(), 0), column(model.losses(), 1));
        if (!model.evalLosses().isEmpty()) b.series("held-out", column(model.evalLosses(), 0), column(model.evalLosses(), 1));
        // several targets: each one's own loss (their sum is the train curve)
        Map<String, List<BuilderViewModel.TargetLoss>> byTarget = new LinkedHashMap<>();
        for (BuilderViewModel.TargetLoss t : model.targetLosses()) byTarget.computeIfAbsent(t.target(), k -> new ArrayList<>()).add(t);
        for (Map.Entry<String, List<BuilderViewModel.TargetLoss>> e : byTarget.entrySet())
            b.series("train " + e.getKey(), e.getValue().stream().mapToDouble(BuilderViewModel.TargetLoss::step).toArray(),
                    e.getValue().stream().mapToDouble(BuilderViewModel.TargetLoss::loss).toArray());
        return b.build();
    }

    private static double[] column(List<double[]> points, int i) {
        return points.stream().mapToDouble(p -> p[i]).toArray();
    }

    private static Tab fixed(Tab t) {
        t.setClosable(false);
        return t;
    }

    BuilderViewModel viewModel() { return model; }

    BuilderParameters parameters() { return parameters; }
}
