package org.layerwise.sdk.figure;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.text.DecimalFormat;
import java.util.Objects;

/**
 * Line charts from double arrays, styled for reading on screen and for export: one colour per series from
 * the Okabe–Ito palette (safe for colour-blind readers), series lines drawn as paths, optional inverted
 * and secondary axes. A typical probe view:
 * <pre>{@code
 * JFreeChart c = LineFigures.builder("Target across layers", "Layer", "p(target)")
 *         .series("p(target)", probs).yRange(0, 1)
 *         .secondaryAxis("Rank", true, true).secondarySeries("rank", ranks)
 *         .integerX(true).build();
 * }</pre>
 */
public final class LineFigures {
    private static final Color[] OKABE_ITO = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), Color.BLACK};

    private LineFigures() {
    }

    /** The i-th series colour (cycles after eight). */
    public static Color seriesColour(int i) {
        return OKABE_ITO[Math.floorMod(i, OKABE_ITO.length)];
    }

    public static Builder builder(String title, String xLabel, String yLabel) {
        return new Builder(title, xLabel, yLabel);
    }

    /** Probability (left, 0..1) and rank (right, log scale, rank 1 at the top) along one x axis. */
    public static JFreeChart probabilityAndRank(String title, String xLabel, double[] x,
                                                double[] probability, double[] rank) {
        return builder(title, xLabel, "Probability")
                .series("probability", x, probability).yRange(0, 1)
                .secondaryAxis("Rank", true, true).secondarySeries("rank", x, rank)
                .integerX(true).build();
    }

    /** Collects series and axis options; {@link #build()} makes the chart (charts built twice share the data). */
    public static final class Builder {
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private final XYSeriesCollection primary = new XYSeriesCollection();
        private final XYSeriesCollection secondary = new XYSeriesCollection();
        private String secondaryLabel;
        private boolean secondaryInverted;
        private boolean secondaryLog;
        private boolean yInverted;
        private boolean yLog;
        private double yLower = Double.NaN;
        private double yUpper = Double.NaN;
        private boolean integerX;
        private boolean markers;
        private boolean legend = true;

        private Builder(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        /** A series at x = 0, 1, 2, … */
        public Builder series(String name, double[] y) {
            return series(name, indices(y.length), y);
        }

        public Builder series(String name, double[] x, double[] y) {
            primary.addSeries(toSeries(name, x, y, primary));
            return this;
        }

        /** A series on the secondary (right-hand) axis, at x = 0, 1, 2, … */
        public Builder secondarySeries(String name, double[] y) {
            return secondarySeries(name, indices(y.length), y);
        }

        public Builder secondarySeries(String name, double[] x, double[] y) {
            secondary.addSeries(toSeries(name, x, y, secondary));
            return this;
        }

        /** The right-hand axis: inverted puts small values (rank 1) on top; log for ranks and perplexities. */
        public Builder secondaryAxis(String label, boolean inverted, boolean log) {
            this.secondaryLabel = label;
            this.secondaryInverted = inverted;
            this.secondaryLog = log;
            return this;
        }

        public Builder invertY(boolean inverted) { this.yInverted = inverted; return this; }

        public Builder logY(boolean log) { this.yLog = log; return this; }

        /** Fixes the primary y range (e.g. 0..1 for probabilities). */
        public Builder yRange(double lower, double upper) {
            if (!(lower < upper)) {
                throw new IllegalArgumentException("y range needs lower < upper, got " + lower + ", " + upper);
            }
            this.yLower = lower;
            this.yUpper = upper;
            return this;
        }

        /** Whole-number ticks on x (layers, steps, positions). */
        public Builder integerX(boolean integer) { this.integerX = integer; return this; }

        /** A marker at every point (for sparse series). */
        public Builder markers(boolean markers) { this.markers = markers; return this; }

        public Builder legend(boolean legend) { this.legend = legend; return this; }

        public JFreeChart build() {
            NumberAxis x = new NumberAxis(xLabel);
            x.setAutoRangeIncludesZero(false);
            if (integerX) {
                x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            }
            ValueAxis y = valueAxis(yLabel, yLog);
            y.setInverted(yInverted);
            if (!Double.isNaN(yLower)) {
                y.setRange(yLower, yUpper);
            } else if (y instanceof NumberAxis n) {
                // a flat series (one point, a constant) would get a range of ~1e-8 and five identical tick labels
                Number high = org.jfree.data.general.DatasetUtils.findMaximumRangeValue(primary);
                n.setAutoRangeMinimumSize(Math.max(1e-6, high == null ? 0 : Math.abs(high.doubleValue()) * 0.02));
            }
            XYPlot plot = new XYPlot(primary, x, y, renderer(0, false));
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
            plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
            if (secondary.getSeriesCount() > 0 || secondaryLabel != null) {
                ValueAxis y2 = valueAxis(secondaryLabel == null ? "" : secondaryLabel, secondaryLog);
                y2.setInverted(secondaryInverted);
                plot.setRangeAxis(1, y2);
                plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
                plot.setDataset(1, secondary);
                plot.mapDatasetToRangeAxis(1, 1);
                plot.setRenderer(1, renderer(primary.getSeriesCount(), true));
            }
            boolean showLegend = legend && primary.getSeriesCount() + secondary.getSeriesCount() > 1;
            JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, showLegend);
            chart.setBackgroundPaint(Color.WHITE);
            return chart;
        }

        private XYLineAndShapeRenderer renderer(int firstColour, boolean dashed) {
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, markers);
            r.setDrawSeriesLineAsPath(true);
            int count = dashed ? secondary.getSeriesCount() : primary.getSeriesCount();
            BasicStroke stroke = dashed
                    ? new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[]{4f, 2f}, 0f)
                    : new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            for (int s = 0; s < count; s++) {
                r.setSeriesPaint(s, seriesColour(firstColour + s));
                r.setSeriesStroke(s, stroke);
            }
            return r;
        }

        private static ValueAxis valueAxis(String label, boolean log) {
            if (log) {
                LogAxis axis = new LogAxis(label);
                axis.setSmallestValue(1e-12);
                // ticks at whole powers of ten, labelled as plain numbers (1, 10, 100) rather than 10^0.5
                axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                axis.setNumberFormatOverride(new DecimalFormat("#,##0.########"));
                return axis;
            }
            NumberAxis axis = new NumberAxis(label);
            axis.setAutoRangeIncludesZero(false);
            return axis;
        }

        private static XYSeries toSeries(String name, double[] x, double[] y, XYSeriesCollection into) {
            Objects.requireNonNull(name, "series name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but "
                        + y.length + " y values");
            }
            if (into.getSeriesIndex(name) >= 0) {
                throw new IllegalArgumentException("two series are named '" + name + "'; names must differ");
            }
            XYSeries series = new XYSeries(name, false, true);
            for (int i = 0; i < x.length; i++) {
                series.add(x[i], y[i], false);
            }
            return series;
        }

        private static double[] indices(int n) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
            }
            return x;
        }
    }
}
