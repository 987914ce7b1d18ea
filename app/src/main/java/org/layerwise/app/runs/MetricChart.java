package org.layerwise.app.runs;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.layerwise.engine.runs.MetricPoint;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Map;

/** Line charts of metric series against step, in a clean paper style (Okabe–Ito colours). */
public final class MetricChart {
    static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)};

    private MetricChart() {}

    /** One chart, one line per entry of {@code series} (label → points), y axis named {@code metric}. */
    public static JFreeChart of(String metric, Map<String, List<MetricPoint>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        int maxPoints = 0;
        for (Map.Entry<String, List<MetricPoint>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), true, true);
            for (MetricPoint p : e.getValue()) s.add(p.step(), p.value());
            data.addSeries(s);
            maxPoints = Math.max(maxPoints, e.getValue().size());
        }
        NumberAxis x = new NumberAxis("step");
        x.setAutoRangeIncludesZero(false);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis(metric);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, maxPoints <= 40);
        lines.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < series.size(); i++) {
            lines.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            lines.setSeriesStroke(i, new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        XYPlot plot = new XYPlot(data, x, y, lines);
        style(plot);
        JFreeChart chart = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 12), plot, series.size() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 10));
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.TOP);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
            legend.setItemFont(new Font("SansSerif", Font.PLAIN, 11));
        }
        return chart;
    }

    static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(new Color(0xE3E6EA));
        plot.setRangeGridlinePaint(new Color(0xE3E6EA));
        plot.setDomainGridlineStroke(new BasicStroke(0.8f));
        plot.setRangeGridlineStroke(new BasicStroke(0.8f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        for (var axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
            axis.setLabelFont(new Font("SansSerif", Font.PLAIN, 12));
            axis.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 11));
            axis.setLabelPaint(new Color(0x3C4043));
            axis.setTickLabelPaint(new Color(0x5F6368));
            axis.setAxisLinePaint(new Color(0xB0B5BA));
            axis.setTickMarkPaint(new Color(0xB0B5BA));
        }
    }
}
