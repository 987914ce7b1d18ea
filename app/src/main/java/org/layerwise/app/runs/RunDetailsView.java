package org.layerwise.app.runs;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.layerwise.app.Units;
import org.layerwise.sdk.figure.RunFigures;
import org.layerwise.engine.runs.ArtifactRecord;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.TraceEvent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** One run opened: a header, then tabs for its parameters, metrics chart, artifacts and trace events. */
final class RunDetailsView extends BorderPane {
    RunDetailsView(RunDetails details, Path dataDir, Consumer<Path> openFile, Function<JFreeChart, Node> figure) {
        getStyleClass().add("run-details");
        setId("run-details");
        RunRecord run = details.run();
        setTop(header(run));

        TabPane tabs = new TabPane();
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().addAll(
                new Tab("Metrics (" + details.series().size() + ")", metrics(details, figure)),
                new Tab("Parameters", parameters(RunParameters.flatten(run.parametersJson()))),
                new Tab("Artifacts (" + details.artifacts().size() + ")", artifacts(details.artifacts(), dataDir, openFile)),
                new Tab("Traces (" + details.traces().size() + ")", traces(details.traces())));
        if (details.series().isEmpty()) tabs.getSelectionModel().select(1);
        setCenter(tabs);
    }

    static Node header(RunRecord run) {
        Label title = new Label(run.title() == null || run.title().isBlank() ? run.kind() : run.title());
        title.getStyleClass().add("details-title");
        Label id = new Label("#" + run.id());
        id.getStyleClass().add("muted");
        HBox top = new HBox(10, title, id, RunStatusPill.of(run.status()));
        top.setAlignment(Pos.CENTER_LEFT);
        FlowPane facts = new FlowPane(18, 4,
                fact("Plugin", run.plugin() + " · " + run.kind()),
                fact("Model", RunFormat.model(run.modelRef())),
                fact("Started", RunFormat.started(run.startedAt())),
                fact("Duration", RunFormat.duration(run)));
        VBox box = new VBox(6, top, facts);
        if (run.message() != null && !run.message().isBlank()) {
            Label message = new Label(run.message());
            message.setWrapText(true);
            message.getStyleClass().add("details-message");
            box.getChildren().add(message);
        }
        box.getStyleClass().add("details-header");
        return box;
    }

    private static Node fact(String name, String value) {
        Label k = new Label(name);
        k.getStyleClass().add("fact-name");
        Label v = new Label(value);
        v.getStyleClass().add("fact-value");
        return new HBox(6, k, v);
    }

    private static Node metrics(RunDetails details, Function<JFreeChart, Node> figure) {
        Map<String, List<MetricPoint>> series = details.series();
        if (series.isEmpty()) return placeholder("This run recorded no metrics.");
        ComboBox<String> pick = new ComboBox<>();
        pick.setId("run-metric");
        pick.getItems().setAll(series.keySet());
        pick.setValue(pick.getItems().get(0));
        StackPane chart = new StackPane();
        Runnable draw = () -> chart.getChildren().setAll(figure.apply(RunFigures.metrics(List.of(details.run()),
                Map.of(details.run().id(), details.metrics()), List.of(pick.getValue()))));
        pick.valueProperty().addListener((o, a, b) -> draw.run());
        draw.run();
        Label caption = new Label("Metric");
        caption.getStyleClass().add("muted");
        Label count = new Label();
        count.getStyleClass().add("muted");
        count.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> series.get(pick.getValue()).size() + " points", pick.valueProperty()));
        HBox bar = new HBox(8, caption, pick, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("pane-toolbar");
        BorderPane p = new BorderPane(chart);
        p.setTop(bar);
        return p;
    }

    static Node parameters(Map<String, String> params) {
        if (params.isEmpty()) return placeholder("This run has no parameters.");
        TableView<Map.Entry<String, String>> table = new TableView<>();
        table.getItems().setAll(params.entrySet());
        TableColumn<Map.Entry<String, String>, String> name = new TableColumn<>("Parameter");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getKey()));
        name.setPrefWidth(220);
        TableColumn<Map.Entry<String, String>, String> value = new TableColumn<>("Value");
        value.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getValue()));
        value.setPrefWidth(380);
        table.getColumns().setAll(List.of(name, value));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return table;
    }

    private static Node artifacts(List<ArtifactRecord> artifacts, Path dataDir, Consumer<Path> openFile) {
        if (artifacts.isEmpty()) return placeholder("This run kept no files.");
        TableView<ArtifactRecord> table = new TableView<>();
        table.getItems().setAll(artifacts);
        TableColumn<ArtifactRecord, String> name = new TableColumn<>("Name");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        TableColumn<ArtifactRecord, String> size = new TableColumn<>("Size");
        size.setCellValueFactory(c -> new ReadOnlyStringWrapper(Units.bytes(c.getValue().bytes())));
        size.getStyleClass().add("numeric-column");
        TableColumn<ArtifactRecord, String> path = new TableColumn<>("Stored at");
        path.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().relativePath()));
        name.setPrefWidth(200);
        size.setPrefWidth(90);
        path.setPrefWidth(380);
        table.getColumns().setAll(List.of(name, size, path));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Button open = new Button("Open file");
        open.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        open.setOnAction(e -> openFile.accept(dataDir.resolve(table.getSelectionModel().getSelectedItem().relativePath())));
        Button folder = new Button("Open folder");
        folder.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        folder.setOnAction(e -> openFile.accept(dataDir.resolve(
                table.getSelectionModel().getSelectedItem().relativePath()).getParent()));
        table.setRowFactory(v -> {
            var row = new javafx.scene.control.TableRow<ArtifactRecord>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) openFile.accept(dataDir.resolve(row.getItem().relativePath()));
            });
            return row;
        });
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(8, gap, open, folder);
        bar.getStyleClass().add("pane-toolbar");
        BorderPane p = new BorderPane(table);
        p.setTop(bar);
        return p;
    }

    private static Node traces(List<TraceEvent> traces) {
        if (traces.isEmpty()) return placeholder("This run wrote no trace events.");
        TableView<TraceEvent> table = new TableView<>();
        table.getItems().setAll(traces);
        TableColumn<TraceEvent, Long> seq = new TableColumn<>("#");
        seq.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().seq()));
        seq.setPrefWidth(60);
        TableColumn<TraceEvent, String> kind = new TableColumn<>("Kind");
        kind.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().kind()));
        kind.setPrefWidth(120);
        TableColumn<TraceEvent, String> at = new TableColumn<>("Time");
        at.setCellValueFactory(c -> new ReadOnlyStringWrapper(RunFormat.started(c.getValue().at())));
        at.setPrefWidth(150);
        TableColumn<TraceEvent, String> json = new TableColumn<>("Event");
        json.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().json()));
        json.setPrefWidth(480);
        json.getStyleClass().add("mono-column");
        table.getColumns().setAll(List.of(seq, kind, at, json));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return table;
    }

    static Node placeholder(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("placeholder");
        StackPane p = new StackPane(l);
        p.getStyleClass().add("placeholder-pane");
        return p;
    }
}
