package org.layerwise.app.shell;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.Consumer;

/** The left column: one entry per workspace plugin (icon and title), then the runs browser. */
public final class WorkspaceSidebar extends VBox {
    private final ListView<WorkspaceEntry> list;
    private final ObservableList<WorkspaceEntry> entries = FXCollections.observableArrayList();

    public WorkspaceSidebar(List<WorkspaceEntry> workspaces, Consumer<WorkspaceEntry> onSelect) {
        setId("sidebar");
        getStyleClass().add("sidebar");
        Label brand = new Label("Layerwise", Icons.view(Icons.url("layerwise"), 26));
        brand.getStyleClass().add("brand");
        Label section = new Label("WORKSPACES");
        section.getStyleClass().add("sidebar-section");

        entries.setAll(workspaces);
        entries.add(WorkspaceEntry.runs());
        list = new ListView<>(entries);
        list.setId("workspace-list");
        list.getStyleClass().add("sidebar-list");
        list.setCellFactory(v -> new EntryCell());
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) onSelect.accept(b);
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(brand, section, list);
        setPrefWidth(224);
        setMinWidth(170);
    }

    public void select(String id) {
        for (WorkspaceEntry e : entries) {
            if (e.id().equals(id)) {
                list.getSelectionModel().select(e);
                return;
            }
        }
    }

    public WorkspaceEntry selected() {
        return list.getSelectionModel().getSelectedItem();
    }

    public ObservableList<WorkspaceEntry> entries() {
        return entries;
    }

    private static final class EntryCell extends ListCell<WorkspaceEntry> {
        EntryCell() {
            // as wide as the list, never wider: a long title ellipsizes instead of adding a horizontal scroll bar
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(WorkspaceEntry entry, boolean empty) {
            super.updateItem(entry, empty);
            getStyleClass().removeAll("sidebar-broken", "sidebar-runs");
            if (empty || entry == null) {
                setGraphic(null);
                setText(null);
                setTooltip(null);
                setId(null);
                return;
            }
            Label title = new Label(entry.title());
            title.getStyleClass().add("sidebar-title");
            HBox row = new HBox(10, Icons.view(entry.icon(), 22), title);
            row.setAlignment(Pos.CENTER_LEFT);
            setGraphic(row);
            setText(null);
            setId("sidebar-" + entry.id());
            if (entry.isBroken()) getStyleClass().add("sidebar-broken");
            if (entry.isRunsBrowser()) getStyleClass().add("sidebar-runs");
            setTooltip(entry.description() == null || entry.description().isBlank() ? null
                    : new Tooltip(entry.description()));
        }
    }
}
