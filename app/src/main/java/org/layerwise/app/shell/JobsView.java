package org.layerwise.app.shell;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.layerwise.app.Units;
import org.layerwise.engine.jobs.JobState;

/** The "Jobs" tab: each job with title, progress, message, elapsed time, state and a cancel button. */
public final class JobsView extends BorderPane {
    private final ListView<JobRow> list;

    public JobsView(JobBoard board) {
        getStyleClass().add("jobs-view");
        list = new ListView<>(board.rows());
        list.setId("job-list");
        list.getStyleClass().add("job-list");
        list.setCellFactory(v -> new JobCell());
        Label empty = new Label("No jobs yet. Loading a model or running an action shows its progress here.");
        empty.getStyleClass().add("placeholder");
        list.setPlaceholder(empty);
        setCenter(list);

        Button clear = new Button("Clear finished");
        clear.setId("clear-finished-jobs");
        clear.getStyleClass().add("flat");
        clear.setOnAction(e -> board.clearFinished());
        Label count = new Label();
        count.getStyleClass().add("muted");
        Runnable recount = () -> {
            count.setText(board.runningCount() + " running · " + board.rows().size() + " listed");
            clear.setDisable(board.rows().stream().noneMatch(r -> r.state().isDone()));
        };
        board.rows().addListener((javafx.collections.ListChangeListener<JobRow>) c -> recount.run());
        board.runningProperty().addListener((o, a, b) -> recount.run());
        recount.run();
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(8, count, gap, clear);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("pane-toolbar");
        setTop(bar);

        Timeline clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> {
            board.tick();
            recount.run();
        }));
        clock.setCycleCount(Animation.INDEFINITE);
        clock.play();
    }

    private static final class JobCell extends ListCell<JobRow> {
        private final Label title = new Label();
        private final Label message = new Label();
        private final ProgressBar bar = new ProgressBar();
        private final Label state = new Label();
        private final Label elapsed = new Label();
        private final Button cancel = new Button("Cancel");
        private final HBox root;
        private JobRow bound;
        private final javafx.beans.value.ChangeListener<JobState> stateListener = (o, a, b) -> showState(b);
        private final javafx.beans.value.ChangeListener<java.time.Duration> elapsedListener =
                (o, a, b) -> elapsed.setText(Units.duration(b));

        JobCell() {
            title.getStyleClass().add("job-title");
            message.getStyleClass().addAll("job-message", "muted");
            state.getStyleClass().add("state-pill");
            elapsed.getStyleClass().addAll("muted", "numeric");
            elapsed.setMinWidth(64);
            elapsed.setAlignment(Pos.CENTER_RIGHT);
            bar.setPrefWidth(220);
            bar.setMinWidth(120);
            cancel.getStyleClass().addAll("flat", "cancel-job");
            cancel.setTooltip(new Tooltip("Stop this job; its run is recorded as cancelled"));
            VBox text = new VBox(2, title, message);
            // long messages (a failure's reason) end in "…" with the whole text as tooltip, never a scroll bar
            title.setMinWidth(0);
            message.setMinWidth(0);
            text.setMinWidth(0);
            text.setPrefWidth(0);
            message.tooltipProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(
                    () -> message.getText() == null || message.getText().length() < 60 ? null
                            : new Tooltip(message.getText()), message.textProperty()));
            setPrefWidth(0);
            HBox.setHgrow(text, Priority.ALWAYS);
            root = new HBox(12, state, text, bar, elapsed, cancel);
            root.setAlignment(Pos.CENTER_LEFT);
            root.getStyleClass().add("job-cell");
            setGraphic(null);
        }

        @Override
        protected void updateItem(JobRow row, boolean empty) {
            super.updateItem(row, empty);
            if (bound != null) {
                title.textProperty().unbind();
                message.textProperty().unbind();
                bar.progressProperty().unbind();
                bound.stateProperty().removeListener(stateListener);
                bound.elapsedProperty().removeListener(elapsedListener);
                bound = null;
            }
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            bound = row;
            title.textProperty().bind(row.titleProperty());
            message.textProperty().bind(row.messageProperty());
            bar.progressProperty().bind(row.progressProperty());
            row.stateProperty().addListener(stateListener);
            row.elapsedProperty().addListener(elapsedListener);
            cancel.setOnAction(e -> row.cancel());
            showState(row.state());
            elapsed.setText(Units.duration(row.elapsedProperty().get()));
            setGraphic(root);
        }

        private void showState(JobState s) {
            state.setText(s.name().toLowerCase());
            state.getStyleClass().removeIf(c -> c.startsWith("state-") && !c.equals("state-pill"));
            state.getStyleClass().add("state-" + s.name().toLowerCase());
            root.getStyleClass().remove("job-done");
            if (s.isDone()) root.getStyleClass().add("job-done");
            cancel.setVisible(!s.isDone());
            cancel.setManaged(!s.isDone());
        }
    }
}
