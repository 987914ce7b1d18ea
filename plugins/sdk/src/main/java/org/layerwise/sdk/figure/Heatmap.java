package org.layerwise.sdk.figure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

import java.awt.Color;
import java.util.List;
import java.util.Objects;

/**
 * A matrix as a heatmap chart (e.g. layers × token positions): one block per cell, a colour-scale legend,
 * and optional row and column labels. Column j is at x = j and row i at y = i, so its CSV export is
 * {@code x,y,z} = (column, row, value).
 * <pre>{@code
 * JFreeChart chart = Heatmap.of(values).title("Logit lens").rowAxis("Layer").columnAxis("Position")
 *         .columnLabels(tokens).valueLabel("p(target)").chart();
 * }</pre>
 */
public final class Heatmap {
    /** Sequential for magnitudes, diverging (white at zero) for signed values. */
    public enum Scale { SEQUENTIAL, DIVERGING }

    private final double[][] values;
    private final int rows;
    private final int columns;
    private String title;
    private String rowAxis = "Row";
    private String columnAxis = "Column";
    private String valueLabel = "Value";
    private List<String> rowLabels;
    private List<String> columnLabels;
    private Scale scale = Scale.SEQUENTIAL;
    private double lower = Double.NaN;
    private double upper = Double.NaN;
    private boolean firstRowAtTop;

    private Heatmap(double[][] values) {
        this.rows = values.length;
        if (rows == 0) {
            throw new IllegalArgumentException("heatmap needs at least one row");
        }
        this.columns = values[0].length;
        for (int i = 0; i < rows; i++) {
            if (values[i].length != columns) {
                throw new IllegalArgumentException("heatmap rows must all have " + columns + " values; row " + i
                        + " has " + values[i].length);
            }
        }
        if (columns == 0) {
            throw new IllegalArgumentException("heatmap needs at least one column");
        }
        this.values = values;
    }

    /** A heatmap of values[row][column]; the array is read when {@link #chart()} is called. */
    public static Heatmap of(double[][] values) {
        return new Heatmap(Objects.requireNonNull(values, "values"));
    }

    /** A heatmap of a 2-D NDArray (rows × columns), copied to the heap. */
    public static Heatmap of(NDArray matrix) {
        if (matrix.getShape().dimension() != 2) {
            throw new IllegalArgumentException("heatmap needs a 2-D array (rows × columns), got shape "
                    + matrix.getShape());
        }
        int r = (int) matrix.getShape().get(0);
        int c = (int) matrix.getShape().get(1);
        double[] flat;
        try (NDArray asDouble = matrix.toType(DataType.FLOAT64, true)) {
            flat = asDouble.toDoubleArray();
        }
        double[][] values = new double[r][];
        for (int i = 0; i < r; i++) {
            values[i] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
        }
        return new Heatmap(values);
    }

    public Heatmap title(String title) { this.title = title; return this; }

    /** Label of the vertical axis (the rows), e.g. "Layer". */
    public Heatmap rowAxis(String label) { this.rowAxis = label; return this; }

    /** Label of the horizontal axis (the columns), e.g. "Position". */
    public Heatmap columnAxis(String label) { this.columnAxis = label; return this; }

    /** Label of the colour scale, e.g. "p(target)". */
    public Heatmap valueLabel(String label) { this.valueLabel = label; return this; }

    /** One tick label per row (e.g. layer names); null for numbers. */
    public Heatmap rowLabels(List<String> labels) {
        checkCount(labels, rows, "row");
        this.rowLabels = labels;
        return this;
    }

    /** One tick label per column (e.g. tokens); null for numbers. */
    public Heatmap columnLabels(List<String> labels) {
        checkCount(labels, columns, "column");
        this.columnLabels = labels;
        return this;
    }

    public Heatmap scale(Scale scale) { this.scale = Objects.requireNonNull(scale); return this; }

    /** Fixed colour range; by default the data's range (or ±max |value| for a diverging scale). */
    public Heatmap range(double lower, double upper) {
        this.lower = lower;
        this.upper = upper;
        return this;
    }

    /** Draws row 0 at the top (matrix order) instead of at the bottom (layer 0 lowest). */
    public Heatmap firstRowAtTop(boolean top) { this.firstRowAtTop = top; return this; }

    public JFreeChart chart() {
        int n = rows * columns;
        double[][] xyz = new double[3][n];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0, k = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++, k++) {
                double v = values[i][j];
                xyz[0][k] = j;
                xyz[1][k] = i;
                xyz[2][k] = v;
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        DefaultXYZDataset dataset = new DefaultXYZDataset();
        dataset.addSeries(valueLabel, xyz);

        ColourScale colours = colourScale(min, max);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(colours);
        renderer.setBlockWidth(1);
        renderer.setBlockHeight(1);

        ValueAxis x = axis(columnAxis, columnLabels, columns);
        // tokens under the columns are read best upright-rotated; horizontal ones collide after a few columns
        x.setVerticalTickLabels(columnLabels != null);
        ValueAxis y = axis(rowAxis, rowLabels, rows);
        y.setInverted(firstRowAtTop);
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setOutlinePaint(Color.BLACK);

        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis scaleAxis = new NumberAxis(valueLabel);
        scaleAxis.setRange(colours.getLowerBound(), colours.getUpperBound());
        PaintScaleLegend legend = new PaintScaleLegend(colours, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        legend.setMargin(new RectangleInsets(4, 4, 4, 4));
        legend.setStripWidth(8);
        legend.setSubdivisionCount(128);
        legend.setBackgroundPaint(Color.WHITE);
        legend.setFrame(BlockBorder.NONE);
        chart.addSubtitle(legend);
        return chart;
    }

    private ColourScale colourScale(double dataMin, double dataMax) {
        double lo = Double.isNaN(lower) ? dataMin : lower;
        double hi = Double.isNaN(upper) ? dataMax : upper;
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) { // no finite cell at all
            lo = 0;
            hi = 1;
        }
        if (scale == Scale.DIVERGING) {
            double limit = Math.max(Math.abs(lo), Math.abs(hi));
            return ColourScale.diverging(limit > 0 ? limit : 1);
        }
        if (lo >= hi) { // a constant matrix still needs a non-empty range
            lo -= 0.5;
            hi += 0.5;
        }
        return ColourScale.sequential(lo, hi);
    }

    private static ValueAxis axis(String label, List<String> ticks, int count) {
        NumberAxis axis;
        if (ticks != null) {
            SymbolAxis symbols = new SymbolAxis(label, ticks.toArray(String[]::new));
            symbols.setGridBandsVisible(false);
            axis = symbols;
        } else {
            axis = new NumberAxis(label);
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        axis.setAutoRange(false);
        axis.setRange(-0.5, count - 0.5);
        axis.setLowerMargin(0);
        axis.setUpperMargin(0);
        return axis;
    }

    private static void checkCount(List<String> labels, int expected, String what) {
        if (labels != null && labels.size() != expected) {
            throw new IllegalArgumentException("got " + labels.size() + " " + what + " labels for " + expected + " "
                    + what + "s");
        }
    }
}
