package org.layerwise.playground.ui;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.layerwise.engine.model.LanguageModel.TokenProbability;
import org.layerwise.playground.method.NextTokenDistribution;
import org.layerwise.playground.method.TokenText;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.DecimalFormat;
import java.util.HashSet;
import java.util.Set;

/** The next-token distribution as horizontal bars, most likely on top (a paper-ready JFreeChart). */
final class DistributionChart {
    private static final Color BAR = new Color(0x3567D6);

    private DistributionChart() {}

    static JFreeChart of(NextTokenDistribution d) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Set<String> used = new HashSet<>();
        for (TokenProbability t : d.top()) {
            String label = TokenText.visible(t.token());
            // two ids can render alike (e.g. byte tokens): keep categories distinct
            if (!used.add(label)) label = label + " #" + t.id();
            used.add(label);
            data.addValue(t.probability(), "probability", label);
        }
        CategoryAxis tokens = new CategoryAxis(null);
        tokens.setTickLabelFont(new Font("DejaVu Sans Mono", Font.PLAIN, 12));
        tokens.setTickLabelPaint(new Color(0x2F3337));
        tokens.setAxisLineVisible(false);
        tokens.setTickMarksVisible(false);
        tokens.setCategoryMargin(0.25);
        tokens.setLowerMargin(0.02);
        tokens.setUpperMargin(0.02);
        NumberAxis p = new NumberAxis("probability");
        // room right of the longest bar for its label; no ticks past 1, which no probability reaches
        double max = maxProbability(d);
        p.setRange(0, Math.max(0.05, max * 1.25));
        p.setTickUnit(new NumberTickUnit(max > 0.3 ? 0.2 : max > 0.1 ? 0.05 : 0.01, new ProbabilityTicks()));
        p.setLabelFont(new Font("SansSerif", Font.PLAIN, 12));
        p.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 11));
        p.setLabelPaint(new Color(0x5F6368));
        p.setTickLabelPaint(new Color(0x5F6368));
        p.setAxisLinePaint(new Color(0xB0B5BA));
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, BAR);
        bars.setMaximumBarWidth(0.08);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.0%")));
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(new Font("SansSerif", Font.PLAIN, 11));
        bars.setDefaultItemLabelPaint(new Color(0x3C4043));
        // labels right of each bar's end, not on top of the next bar
        bars.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        bars.setItemLabelAnchorOffset(4);
        CategoryPlot plot = new CategoryPlot(data, tokens, p, bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(new Color(0xE3E6EA));
        plot.setRangeGridlineStroke(new BasicStroke(0.8f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 12), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 4, 6, 12));
        return chart;
    }

    /** Tick labels up to 1 only. */
    private static final class ProbabilityTicks extends java.text.NumberFormat {
        private final DecimalFormat plain = new DecimalFormat("0.##");

        @Override
        public StringBuffer format(double v, StringBuffer to, java.text.FieldPosition pos) {
            return v > 1.0 + 1e-9 ? to : plain.format(v, to, pos);
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, java.text.FieldPosition pos) {
            return format((double) v, to, pos);
        }

        @Override
        public Number parse(String source, java.text.ParsePosition pos) {
            return plain.parse(source, pos);
        }
    }

    private static double maxProbability(NextTokenDistribution d) {
        return d.top().stream().mapToDouble(TokenProbability::probability).max().orElse(1);
    }
}
