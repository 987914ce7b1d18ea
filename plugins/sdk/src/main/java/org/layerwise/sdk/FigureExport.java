package org.layerwise.sdk;

import org.jfree.chart.JFreeChart;

import java.io.IOException;
import java.nio.file.Path;

/** Exports a chart as a paper figure: vector PDF/SVG (text as text), PNG at a DPI, and its data as CSV. */
public interface FigureExport {
    enum Format { PDF, SVG, PNG, CSV }

    /** Single (3.5 in) or double (7 in) column width. */
    enum Width {
        SINGLE_COLUMN(3.5), DOUBLE_COLUMN(7.0);
        public final double inches;
        Width(double inches) { this.inches = inches; }
    }

    /** Writes the chart (or, for CSV, its dataset) to target; aspect is height/width. */
    void export(JFreeChart chart, Format format, Width width, double aspect, int dpi, Path target) throws IOException;
}
