package org.layerwise.sdk.fx;

import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import org.layerwise.sdk.FigureExport.Width;

import java.util.List;

/** Asks for the figure's column width and, for bitmaps, its DPI (150, 300 or 600). */
public final class FigureSizeDialog extends Dialog<FigureSizeDialog.FigureSize> {
    public static final List<Integer> DPI_CHOICES = List.of(150, 300, 600);

    /** The chosen size; dpi is meaningful only for PNG. */
    public record FigureSize(Width width, int dpi) {
    }

    private final RadioButton single = new RadioButton("Single column (3.5 in)");
    private final RadioButton wide = new RadioButton("Double column (7 in)");
    private final ChoiceBox<Integer> dpi = new ChoiceBox<>();

    public FigureSizeDialog(String formatName, boolean askDpi, FigureSize initial) {
        setTitle("Export " + formatName);
        setHeaderText("Figure size for " + formatName);
        ToggleGroup widths = new ToggleGroup();
        single.setToggleGroup(widths);
        wide.setToggleGroup(widths);
        (initial.width() == Width.DOUBLE_COLUMN ? wide : single).setSelected(true);
        dpi.getItems().setAll(DPI_CHOICES);
        dpi.setValue(DPI_CHOICES.contains(initial.dpi()) ? initial.dpi() : 300);

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(10);
        grid.setPadding(new Insets(12));
        grid.addRow(0, new Label("Width"), new HBox(12, single, wide));
        if (askDpi) {
            grid.addRow(1, new Label("Resolution (DPI)"), dpi);
        }
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        setResultConverter(button -> button == ButtonType.OK
                ? new FigureSize(wide.isSelected() ? Width.DOUBLE_COLUMN : Width.SINGLE_COLUMN, dpi.getValue())
                : null);
    }
}
