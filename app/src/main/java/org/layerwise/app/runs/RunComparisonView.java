package org.layerwise.app.runs;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.sdk.figure.RunFigures;
import org.layerwise.engine.runs.RunRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Two runs compared: a metric both recorded drawn for both on one chart, and their parameters side by side. */
final class RunComparisonView extends BorderPane {
    RunComparisonView(RunComparison comparison, Function<JFreeChart, Node> figure) {
        getStyleClass().add("run-comparison");
        setId("run-comparison");
        RunRecord a = comparison.left().run();
        RunRecord b = comparison.right().run();
        Label title = new Label("Comparing #" + a.id() + " and #" + b.id());
        title.getStyleClass().add("details-title");
        Label names = new Label(label(a) + "   vs   " + label(b));
        names.getStyleClass().add("muted");
        VBox header = new VBox(4, title, names);
        header.getStyleClass().add("details-header");
        setTop(header);

        SplitPane split = new SplitPane(metrics(comparison, figure), parameters(comparison, a, b));
        split.setDividerPositions(0.58);
        setCenter(split);
    }

    private static String label(RunRecord r) {
        return "#" + r.id() + " " + (r.title() == null || r.title().isBlank() ? r.kind() : r.title());
    }

    private static Node metrics(RunComparison comparison, Function<JFreeChart, Node> figure) {
        List<String> common = comparison.commonMetrics();
        if (common.isEmpty()) {
            return RunDetailsView.placeholder("These runs share no metric name, so there is nothing to draw together.");
        }
        ComboBox<String> pick = new ComboBox<>();
        pick.setId("compare-metric");
        pick.getItems().setAll(common);
        pick.setValue(common.get(0));
        StackPane chart = new StackPane();
        Runnable draw = () -> {
            RunDetails l = comparison.left();
            RunDetails r = comparison.right();
            Map<Long, List<MetricPoint>> metrics = new LinkedHashMap<>();
            metrics.put(l.run().id(), l.metrics());
            metrics.put(r.run().id(), r.metrics());
            chart.getChildren().setAll(figure.apply(
                    RunFigures.metrics(List.of(l.run(), r.run()), metrics, List.of(pick.getValue()))));
        };
        pick.valueProperty().addListener((o, x, y) -> draw.run());
        draw.run();
        Label caption = new Label("Metric");
        caption.getStyleClass().add("muted");
        HBox bar = new HBox(8, caption, pick);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("pane-toolbar");
        BorderPane p = new BorderPane(chart);
        p.setTop(bar);
        return p;
    }

    private static Node parameters(RunComparison comparison, RunRecord a, RunRecord b) {
        TableView<RunComparison.ParameterRow> table = new TableView<>();
        table.getItems().setAll(comparison.parameters());
        TableColumn<RunComparison.ParameterRow, String> name = new TableColumn<>("Parameter");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        TableColumn<RunComparison.ParameterRow, String> left = new TableColumn<>("#" + a.id());
        left.setCellValueFactory(c -> new ReadOnlyStringWrapper(orDash(c.getValue().left())));
        TableColumn<RunComparison.ParameterRow, String> right = new TableColumn<>("#" + b.id());
        right.setCellValueFactory(c -> new ReadOnlyStringWrapper(orDash(c.getValue().right())));
        name.setPrefWidth(150);
        name.setMinWidth(110);
        left.setPrefWidth(120);
        right.setPrefWidth(120);
        table.getColumns().setAll(List.of(name, left, right));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setRowFactory(v -> new TableRow<>() {
            @Override
            protected void updateItem(RunComparison.ParameterRow row, boolean empty) {
                super.updateItem(row, empty);
                getStyleClass().remove("differs");
                if (!empty && row != null && row.differs()) getStyleClass().add("differs");
            }
        });
        Label placeholder = new Label("Neither run has parameters.");
        placeholder.getStyleClass().add("placeholder");
        table.setPlaceholder(placeholder);
        Label caption = new Label("Parameters (differences highlighted)");
        caption.getStyleClass().add("muted");
        HBox bar = new HBox(caption);
        bar.getStyleClass().add("pane-toolbar");
        BorderPane p = new BorderPane(table);
        p.setTop(bar);
        return p;
    }

    private static String orDash(String s) {
        return s == null ? "–" : s;
    }
}
