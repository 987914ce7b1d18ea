package org.layerwise.app.runs;

import javafx.scene.Node;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/** Puts a chart on screen. */
final class ChartHost {
    private ChartHost() {}

    static Node of(JFreeChart chart) {
        ChartViewer viewer = new ChartViewer(chart);
        viewer.getStyleClass().add("figure");
        viewer.setMinSize(200, 160);
        return viewer;
    }
}
