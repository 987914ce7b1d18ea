package org.layerwise.app.shell;

import javafx.collections.ListChangeListener;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

/** The "Log" tab: app and job log lines, filterable by level and text, following the newest line. */
public final class LogConsole extends BorderPane {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    public LogConsole(LogBuffer buffer) {
        getStyleClass().add("log-console");
        buffer.drain();
        FilteredList<LogLine> shown = new FilteredList<>(buffer.lines());
        ListView<LogLine> list = new ListView<>(shown);
        list.setId("log-list");
        list.getStyleClass().addAll("log-list", "mono");
        list.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        list.setCellFactory(v -> new LineCell());
        Label empty = new Label("Nothing logged yet.");
        empty.getStyleClass().add("placeholder");
        list.setPlaceholder(empty);
        setCenter(list);

        ChoiceBox<LogLine.Level> level = new ChoiceBox<>();
        level.getItems().setAll(LogLine.Level.values());
        level.setValue(LogLine.Level.INFO);
        TextField search = new TextField();
        search.setPromptText("Filter lines");
        search.setPrefColumnCount(18);
        Runnable refilter = () -> {
            LogLine.Level min = level.getValue();
            String q = search.getText() == null ? "" : search.getText().toLowerCase(Locale.ROOT);
            shown.setPredicate(l -> l.level().compareTo(min) >= 0
                    && (q.isEmpty() || l.text().toLowerCase(Locale.ROOT).contains(q)
                    || l.source().toLowerCase(Locale.ROOT).contains(q)));
        };
        level.valueProperty().addListener((o, a, b) -> refilter.run());
        search.textProperty().addListener((o, a, b) -> refilter.run());
        refilter.run();

        ToggleButton follow = new ToggleButton("Follow");
        follow.setSelected(true);
        follow.getStyleClass().add("flat");
        shown.addListener((ListChangeListener<LogLine>) c -> {
            if (follow.isSelected() && !shown.isEmpty()) list.scrollTo(shown.size() - 1);
        });
        Button copy = new Button("Copy");
        copy.getStyleClass().add("flat");
        copy.setOnAction(e -> {
            var picked = list.getSelectionModel().getSelectedItems().isEmpty() ? shown
                    : list.getSelectionModel().getSelectedItems();
            ClipboardContent content = new ClipboardContent();
            content.putString(picked.stream().map(LogConsole::format).collect(Collectors.joining("\n")));
            Clipboard.getSystemClipboard().setContent(content);
        });
        Button clear = new Button("Clear");
        clear.getStyleClass().add("flat");
        clear.setOnAction(e -> buffer.clear());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Label levelLabel = new Label("Level");
        levelLabel.getStyleClass().add("muted");
        HBox bar = new HBox(8, levelLabel, level, search, gap, follow, copy, clear);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("pane-toolbar");
        setTop(bar);
    }

    static String format(LogLine l) {
        return TIME.format(l.time()) + "  " + String.format("%-5s", l.level()) + "  [" + l.source() + "]  " + l.text();
    }

    private static final class LineCell extends ListCell<LogLine> {
        @Override
        protected void updateItem(LogLine line, boolean empty) {
            super.updateItem(line, empty);
            getStyleClass().removeAll("log-warn", "log-error", "log-debug");
            if (empty || line == null) {
                setText(null);
                return;
            }
            setText(format(line));
            switch (line.level()) {
                case WARN -> getStyleClass().add("log-warn");
                case ERROR -> getStyleClass().add("log-error");
                case DEBUG -> getStyleClass().add("log-debug");
                default -> { }
            }
        }
    }
}
