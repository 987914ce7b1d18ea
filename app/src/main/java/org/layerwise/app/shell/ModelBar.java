package org.layerwise.app.shell;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitMenuButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.layerwise.app.Units;
import org.layerwise.engine.model.LanguageModel;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The top bar: the loaded models (the selected one is what actions run on), its architecture,
 * parameter count, dtype, device and weight memory; open a folder (with recent folders and the
 * bundled sample models) and unload.
 */
public final class ModelBar extends HBox {
    private final ModelShelf shelf;
    private final RecentFolders recent;
    private final List<Path> samples;
    private final ComboBox<LanguageModel> models = new ComboBox<>();
    private final Label architecture = chip("model-architecture");
    private final Label parameters = chip("model-parameters");
    private final Label dtype = chip("model-dtype");
    private final Label device = chip("model-device");
    private final Label memory = chip("model-memory");
    private final Label hint = new Label("No model loaded — open a Hugging Face model folder (config.json, "
            + "model.safetensors, tokenizer.json).");
    private final SplitMenuButton open = new SplitMenuButton();
    private final Button unload = new Button("Unload");

    public ModelBar(ModelShelf shelf, RecentFolders recent, List<Path> samples, Runnable chooseFolder,
                    Consumer<LanguageModel> unloadAction) {
        this.shelf = shelf;
        this.recent = recent;
        this.samples = samples;
        setId("model-bar");
        getStyleClass().add("model-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(8);

        Label caption = new Label("Model");
        caption.getStyleClass().add("bar-caption");
        models.setId("model-combo");
        models.setItems(shelf.all());
        models.setPromptText("No model loaded");
        models.setPrefWidth(220);
        models.setCellFactory(v -> new ModelCell());
        models.setButtonCell(new ModelCell());
        models.valueProperty().bindBidirectional(shelf.selected());
        models.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(shelf.all()));

        hint.getStyleClass().add("muted");
        hint.setMinWidth(0);
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(16, 16);
        spinner.setMaxSize(16, 16);
        Label loading = new Label();
        loading.getStyleClass().add("muted");
        HBox loadingBox = new HBox(6, spinner, loading);
        loadingBox.setAlignment(Pos.CENTER_LEFT);
        loadingBox.visibleProperty().bind(shelf.loadingProperty().isNotNull());
        loadingBox.managedProperty().bind(loadingBox.visibleProperty());
        loading.textProperty().bind(javafx.beans.binding.Bindings.concat("Loading ", shelf.loadingProperty(), "…"));

        open.setId("open-model");
        open.setText("Open model folder…");
        open.getStyleClass().add("accent");
        open.setOnAction(e -> chooseFolder.run());
        open.setTooltip(new Tooltip("Load a Hugging Face model folder; the arrow lists recent folders and sample models"));
        recent.folders().addListener((ListChangeListener<Path>) c -> rebuildOpenMenu());
        rebuildOpenMenu();

        unload.setId("unload-model");
        unload.getStyleClass().add("flat");
        unload.disableProperty().bind(shelf.selected().isNull());
        unload.setOnAction(e -> unloadAction.accept(shelf.selected().get()));
        unload.setTooltip(new Tooltip("Close the selected model and free its memory"));

        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        getChildren().addAll(caption, models, hint, architecture, parameters, dtype, device, memory, gap, loadingBox,
                open, unload);
        shelf.selected().addListener((o, a, b) -> show(b));
        show(shelf.selected().get());
    }

    private void show(LanguageModel m) {
        boolean has = m != null;
        for (Label l : List.of(architecture, parameters, dtype, device, memory)) {
            l.setVisible(has);
            l.setManaged(has);
        }
        hint.setVisible(!has);
        hint.setManaged(!has);
        if (!has) return;
        architecture.setText(m.summary());
        architecture.setTooltip(new Tooltip(m.directory() == null ? m.name() : m.directory().toString()));
        parameters.setText(Units.count(m.parameterCount()) + " params");
        dtype.setText(m.dtype());
        device.setText(m.device());
        memory.setText(Units.bytes(m.weightBytes()) + " weights");
    }

    private void rebuildOpenMenu() {
        open.getItems().clear();
        MenuItem header = new MenuItem("Recent folders");
        header.setDisable(true);
        open.getItems().add(header);
        if (recent.folders().isEmpty()) {
            MenuItem none = new MenuItem("(none yet)");
            none.setDisable(true);
            open.getItems().add(none);
        }
        for (Path p : recent.folders()) {
            MenuItem item = new MenuItem(p.getFileName() + "  —  " + p);
            item.setMnemonicParsing(false);
            item.setOnAction(e -> shelf.load(p));
            open.getItems().add(item);
        }
        if (!samples.isEmpty()) {
            open.getItems().add(new SeparatorMenuItem());
            MenuItem sh = new MenuItem("Sample models");
            sh.setDisable(true);
            open.getItems().add(sh);
            for (Path p : samples) {
                MenuItem item = new MenuItem(String.valueOf(p.getFileName()));
                item.setMnemonicParsing(false);
                item.setOnAction(e -> shelf.load(p));
                open.getItems().add(item);
            }
        }
    }

    private static Label chip(String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("chip");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static final class ModelCell extends ListCell<LanguageModel> {
        @Override
        protected void updateItem(LanguageModel m, boolean empty) {
            super.updateItem(m, empty);
            setText(empty || m == null ? "No model loaded" : m.name());
        }
    }
}
