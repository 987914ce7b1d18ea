package org.layerwise.playground.ui;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.DirectoryChooser;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.model.LanguageModel.TokenProbability;
import org.layerwise.playground.PlaygroundPlugin;
import org.layerwise.playground.method.DecodingSettings;
import org.layerwise.playground.method.GenerationJob;
import org.layerwise.playground.method.NextTokenDistribution;
import org.layerwise.playground.method.NextTokenJob;
import org.layerwise.playground.method.TokenText;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.fx.FigurePanel;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The playground: a prompt, its next-token distribution (chart and table) and a streamed generation.
 * Both actions run as recorded jobs on the selected model; Cancel stops a generation between tokens.
 */
public final class PlaygroundWorkspace extends StackPane {
    private final WorkbenchContext context;
    private final DecodingParameters parameters;
    private final TextArea prompt = new TextArea();
    private final Text promptEcho = new Text();
    private final Text generated = new Text();
    private final Label outputStatus = new Label("Press Generate (Ctrl+Enter) to continue the prompt.");
    private final StackPane chartHolder = new StackPane();
    private final FigurePanel figure;
    private final TableView<TokenProbability> table = new TableView<>();
    private final Label distributionStatus = new Label();
    private final Button nextToken = new Button("Next token");
    private final Button generate = new Button("Generate");
    private final Button cancel = new Button("Cancel");
    private final Label modelName = new Label();
    private final Node main;
    private final Node empty;
    private JobHandle<?> running;

    public PlaygroundWorkspace(WorkbenchContext context) {
        this.context = context;
        this.parameters = new DecodingParameters(context.settings(PlaygroundPlugin.ID));
        this.figure = new FigurePanel(context, null);
        figure.setId("playground-distribution");
        figure.setAspect(0.62);
        setId("playground");
        getStyleClass().add("playground");
        getStylesheets().add(PlaygroundWorkspace.class.getResource("playground.css").toExternalForm());
        main = buildMain();
        empty = buildEmptyState();
        context.models().selected().addListener((o, a, b) -> showFor(b));
        showFor(context.models().selected().get());
        context.showParameters(parameters);
    }

    private void showFor(LanguageModel model) {
        getChildren().setAll(model == null ? empty : main);
        modelName.setText(model == null ? "" : "on " + model.name());
        refreshButtons();
    }

    private Node buildMain() {
        Label title = new Label("Playground");
        title.getStyleClass().add("workspace-title");
        modelName.getStyleClass().add("muted");
        nextToken.setId("playground-next-token");
        nextToken.getStyleClass().add("flat");
        nextToken.setTooltip(new Tooltip("Show the most likely next tokens after the prompt (Alt+Enter)"));
        nextToken.setOnAction(e -> runNextToken());
        generate.setId("playground-generate");
        generate.getStyleClass().add("accent");
        generate.setTooltip(new Tooltip("Continue the prompt with the decoding settings on the right (Ctrl+Enter)"));
        generate.setOnAction(e -> runGeneration());
        cancel.setId("playground-cancel");
        cancel.getStyleClass().add("flat");
        cancel.setOnAction(e -> {
            if (running != null) running.cancel();
        });
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox toolbar = new HBox(8, title, modelName, gap, nextToken, generate, cancel);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.getStyleClass().add("workspace-toolbar");

        prompt.setId("playground-prompt");
        prompt.setWrapText(true);
        prompt.setPrefRowCount(5);
        prompt.setPromptText("Type a prompt, e.g. “The capital of France is”");
        prompt.setText(context.settings(PlaygroundPlugin.ID).get("lastPrompt", "The capital of France is"));
        prompt.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
                e.consume();
                runGeneration();
            } else if (e.getCode() == KeyCode.ENTER && e.isAltDown()) {
                e.consume();
                runNextToken();
            }
        });
        VBox promptCard = card("Prompt", prompt, null);

        promptEcho.getStyleClass().add("prompt-text");
        generated.getStyleClass().add("generated-text");
        generated.setId("playground-generated");
        TextFlow flow = new TextFlow(promptEcho, generated);
        flow.getStyleClass().add("output-flow");
        flow.setLineSpacing(3);
        ScrollPane scroll = new ScrollPane(flow);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("output-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        outputStatus.getStyleClass().add("muted");
        outputStatus.setId("playground-output-status");
        Button copy = new Button("Copy");
        copy.getStyleClass().add("flat");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(promptEcho.getText() + generated.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        VBox outputCard = card("Generation", scroll, copy);
        outputCard.getChildren().add(outputStatus);
        VBox.setVgrow(outputCard, Priority.ALWAYS);
        VBox left = new VBox(12, promptCard, outputCard);
        left.getStyleClass().add("playground-column");

        buildTable();
        chartHolder.getStyleClass().add("chart-card");
        chartHolder.setMinHeight(180);
        Label hint = new Label("Press Next token to see what the model expects after the prompt.");
        hint.getStyleClass().add("placeholder");
        hint.setWrapText(true);
        chartHolder.getChildren().setAll(hint);
        distributionStatus.getStyleClass().add("muted");
        SplitPane chartAndTable = new SplitPane(chartHolder, table);
        chartAndTable.setOrientation(Orientation.VERTICAL);
        chartAndTable.setDividerPositions(0.58);
        VBox.setVgrow(chartAndTable, Priority.ALWAYS);
        VBox distributionCard = card("Next-token distribution", chartAndTable, null);
        distributionCard.getChildren().add(distributionStatus);
        VBox.setVgrow(distributionCard, Priority.ALWAYS);
        VBox right = new VBox(distributionCard);
        right.getStyleClass().add("playground-column");

        SplitPane columns = new SplitPane(left, right);
        columns.setDividerPositions(0.52);
        columns.getStyleClass().add("playground-columns");
        BorderPane root = new BorderPane(columns);
        root.setTop(toolbar);
        return root;
    }

    private static VBox card(String heading, Node body, Node action) {
        Label h = new Label(heading.toUpperCase(Locale.ROOT));
        h.getStyleClass().add("section-title");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox head = action == null ? new HBox(h) : new HBox(8, h, gap, action);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox card = new VBox(8, head, body);
        card.getStyleClass().add("card");
        return card;
    }

    private void buildTable() {
        table.setId("playground-tokens");
        TableColumn<TokenProbability, Number> rank = new TableColumn<>("#");
        rank.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(table.getItems().indexOf(c.getValue()) + 1));
        rank.setPrefWidth(40);
        TableColumn<TokenProbability, String> token = new TableColumn<>("Token");
        token.setCellValueFactory(c -> new ReadOnlyStringWrapper(TokenText.visible(c.getValue().token())));
        token.getStyleClass().add("mono-column");
        token.setPrefWidth(160);
        TableColumn<TokenProbability, Number> id = new TableColumn<>("ID");
        id.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().id()));
        id.getStyleClass().add("numeric-column");
        id.setPrefWidth(80);
        TableColumn<TokenProbability, String> p = new TableColumn<>("Probability");
        p.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.format(Locale.ROOT, "%.2f%%", 100 * c.getValue().probability())));
        p.getStyleClass().add("numeric-column");
        p.setPrefWidth(110);
        table.getColumns().setAll(List.of(rank, token, id, p));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label none = new Label("No distribution yet.");
        none.getStyleClass().add("placeholder");
        table.setPlaceholder(none);
    }

    private Node buildEmptyState() {
        ImageView icon = new ImageView(PlaygroundPlugin.class.getResource("playground.png").toExternalForm());
        icon.setFitWidth(56);
        icon.setFitHeight(56);
        Label title = new Label("No model loaded");
        title.getStyleClass().add("empty-state-title");
        Label text = new Label("The playground runs on the model selected in the model bar. Open a Hugging Face "
                + "model folder (GPT-2, GPT-J or LLaMA: config.json, model.safetensors, tokenizer.json), or pick a "
                + "sample model from the arrow next to “Open model folder…”. From a terminal: "
                + "./layerwise --model sample-data/models/<name>.");
        text.setWrapText(true);
        text.setMaxWidth(520);
        text.getStyleClass().add("muted");
        Button open = new Button("Open model folder…");
        open.setId("playground-open-model");
        open.getStyleClass().add("accent");
        open.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Open a Hugging Face model folder");
            File dir = chooser.showDialog(getScene() == null ? null : getScene().getWindow());
            if (dir != null) context.models().load(dir.toPath());
        });
        VBox box = new VBox(14, icon, title, text, open);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("empty-state");
        box.setId("playground-empty");
        return box;
    }

    private void runNextToken() {
        LanguageModel model = context.models().selected().get();
        DecodingSettings settings = settingsOrReport();
        if (model == null || settings == null || running != null) return;
        String text = prompt.getText();
        rememberPrompt(text);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("prompt", text);
        params.put("k", settings.distributionSize());
        JobHandle<NextTokenDistribution> h = context.jobs().submit(
                JobSpec.recorded(PlaygroundPlugin.ID, "next-token", "Next token: " + shorten(text), params, modelRef(model)),
                new NextTokenJob(model, text, settings.distributionSize()));
        track(h, "Next token");
        h.result().whenComplete((d, failure) -> {
            if (d != null) Platform.runLater(() -> showDistribution(d));
        });
    }

    private void runGeneration() {
        LanguageModel model = context.models().selected().get();
        DecodingSettings settings = settingsOrReport();
        if (model == null || settings == null || running != null) return;
        String text = prompt.getText();
        rememberPrompt(text);
        promptEcho.setText(text);
        generated.setText("");
        outputStatus.setText("Generating…");
        TextStream stream = new TextStream(piece -> generated.setText(generated.getText() + piece));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("prompt", text);
        params.putAll(settings.toParameters());
        JobHandle<Generation> h = context.jobs().submit(
                JobSpec.recorded(PlaygroundPlugin.ID, "generate", "Generate: " + shorten(text), params, modelRef(model)),
                new GenerationJob(model, text, settings, d -> Platform.runLater(() -> showDistribution(d)), stream::push));
        track(h, "Generation");
        h.result().whenComplete((g, failure) -> Platform.runLater(() -> {
            stream.flush();
            if (g != null) {
                double seconds = g.nanos() / 1e9;
                int n = g.tokenIds() == null ? 0 : g.tokenIds().length;
                outputStatus.setText(String.format(Locale.ROOT, "%d tokens · %.2f s · %.1f tok/s · stopped: %s",
                        n, seconds, n / Math.max(seconds, 1e-9), g.finishReason()));
                outputStatus.setTooltip(new Tooltip("The prompt was " + g.promptTokens() + " tokens"));
            } else if (unwrap(failure) instanceof JobCancelledException) {
                outputStatus.setText("Cancelled; the text so far is kept above and in the run.");
            } else {
                outputStatus.setText("Failed: " + unwrap(failure).getMessage());
            }
        }));
    }

    private void track(JobHandle<?> h, String what) {
        running = h;
        refreshButtons();
        h.result().whenComplete((v, failure) -> Platform.runLater(() -> {
            if (running == h) running = null;
            refreshButtons();
            Throwable cause = unwrap(failure);
            if (failure != null && !(cause instanceof JobCancelledException)) {
                context.showError(what + " failed on " + modelNameOf(), "The model and your prompt are unchanged. "
                        + "Check the settings on the right (e.g. a lower max new tokens) and try again; the log tab "
                        + "has the details.", cause);
            }
        }));
    }

    private void showDistribution(NextTokenDistribution d) {
        table.getItems().setAll(d.top());
        figure.setChart(DistributionChart.of(d));
        figure.figureNameProperty().set("next-token-distribution");
        chartHolder.getChildren().setAll(figure);
        distributionStatus.setText(String.format(Locale.ROOT, "Top %d tokens cover %.1f%% of the probability mass",
                d.top().size(), 100 * d.coveredMass()));
    }

    private DecodingSettings settingsOrReport() {
        try {
            return parameters.settings();
        } catch (IllegalArgumentException e) {
            context.showError("A decoding setting is out of range", "Correct it in the parameter sheet on the right.", e);
            return null;
        }
    }

    private void refreshButtons() {
        boolean busy = running != null;
        boolean hasModel = context.models().selected().get() != null;
        generate.setDisable(busy || !hasModel);
        nextToken.setDisable(busy || !hasModel);
        cancel.setDisable(!busy);
    }

    private void rememberPrompt(String text) {
        context.settings(PlaygroundPlugin.ID).put("lastPrompt", text.length() > 4000 ? text.substring(0, 4000) : text);
    }

    private String modelNameOf() {
        LanguageModel m = context.models().selected().get();
        return m == null ? "the model" : m.name();
    }

    private static String modelRef(LanguageModel model) {
        return model.directory() != null ? model.directory().toString() : model.name();
    }

    private static String shorten(String text) {
        String one = text.replaceAll("\\s+", " ").trim();
        return "“" + (one.length() > 48 ? one.substring(0, 47) + "…" : one) + "”";
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }
}
