package org.layerwise.modelselect.ui;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.layerwise.modelselect.method.CoarseRecall;
import org.layerwise.modelselect.method.Dendrogram;
import org.layerwise.modelselect.method.ModelDistance;
import org.layerwise.modelselect.method.PerformanceMatrix;
import org.layerwise.modelselect.method.SelectionComparison;
import org.layerwise.modelselect.method.SuccessiveHalving;
import org.layerwise.sdk.figure.Heatmap;
import org.layerwise.sdk.figure.LineFigures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The workspace's charts (plain JFreeChart, so the docs export them headless too). */
public final class SelectionFigures {
    private static final Color RECALLED = new Color(0x1f, 0x77, 0xb4), OTHER = new Color(0xbb, 0xbb, 0xbb), THRESHOLD = new Color(0xd6, 0x27, 0x28);

    private SelectionFigures() {}

    /** Benchmark data sets (rows) × models (columns), accuracy in [0, 1]. */
    public static JFreeChart heatmap(PerformanceMatrix p) {
        double[][] v = new double[p.datasetCount()][];
        for (int d = 0; d < v.length; d++) v[d] = Arrays.stream(p.accuracy()[d]).map(x -> Math.max(0, x)).toArray();
        return Heatmap.of(v).title("Benchmark performance matrix").rowAxis("data set").columnAxis("model")
                .valueLabel("accuracy").rowLabels(p.datasets()).columnLabels(short_(p.models())).range(0, 1).chart();
    }

    /** The average-linkage tree with the threshold as a red line; clusters below it merge. */
    public static JFreeChart dendrogram(CoarseRecall.Result r, List<String> models) {
        Dendrogram t = r.dendrogram();
        int n = t.leafCount();
        List<Integer> order = t.leafOrder();
        double[] x = new double[2 * n - 1], y = new double[2 * n - 1];
        for (int i = 0; i < n; i++) x[order.get(i)] = i;
        double cap = 0;
        for (Dendrogram.Merge m : t.merges()) if (m.height() < ModelDistance.INCOMPARABLE) cap = Math.max(cap, m.height());
        cap = Math.max(cap * 1.15, r.threshold() * 1.5);
        XYSeriesCollection lines = new XYSeriesCollection();
        for (int k = 0; k < t.merges().size(); k++) {
            Dendrogram.Merge m = t.merges().get(k);
            int c = n + k;
            x[c] = (x[m.left()] + x[m.right()]) / 2;
            y[c] = Math.min(m.height(), cap);    // incomparable pairs (1e7) drawn at the top
            XYSeries s = new XYSeries("merge " + k, false, true);
            s.add(x[m.left()], y[m.left()]);
            s.add(x[m.left()], y[c]);
            s.add(x[m.right()], y[c]);
            s.add(x[m.right()], y[m.right()]);
            lines.addSeries(s);
        }
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) labels[i] = short_(models.get(order.get(i)));
        SymbolAxis axis = new SymbolAxis("model", labels);
        axis.setVerticalTickLabels(true);
        axis.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 8));
        NumberAxis height = new NumberAxis("distance (mean of 5 largest accuracy gaps)");
        height.setRange(0, cap * 1.02);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int k = 0; k < lines.getSeriesCount(); k++) {
            boolean below = t.merges().get(k).height() <= r.threshold();
            renderer.setSeriesPaint(k, below ? RECALLED : Color.DARK_GRAY);
            renderer.setSeriesStroke(k, new BasicStroke(below ? 1.6f : 0.9f));
        }
        XYPlot plot = new XYPlot(lines, axis, height, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        ValueMarker th = new ValueMarker(r.threshold(), THRESHOLD, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {4, 3}, 0));
        th.setLabel("threshold " + r.threshold() + " → " + r.clusters().size() + " clusters");
        th.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        th.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        th.setLabelPaint(THRESHOLD);
        plot.addRangeMarker(th);
        return new JFreeChart("Average-linkage dendrogram", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    }

    /** Proxy score per model, highest first; the recalled top k in colour. */
    public static JFreeChart proxyScores(CoarseRecall.Result r, List<String> models) {
        Integer[] order = new Integer[models.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(r.proxy()[b], r.proxy()[a]));
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        int rank = 0;
        for (int m : order) {
            boolean recalled = r.recalled().contains(m);
            String label = (++rank) + ". " + short_(models.get(m)) + (r.isSingleton(m) ? "" : " ●");
            data.addValue(recalled ? r.proxy()[m] : 0, "recalled", label);
            data.addValue(recalled ? 0 : r.proxy()[m], "not recalled", label);
        }
        CategoryAxis axis = new CategoryAxis("model (● = in a cluster)");
        axis.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        axis.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 8));
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, RECALLED);
        bars.setSeriesPaint(1, OTHER);
        bars.setItemMargin(-1);      // the two series never both hold a value: draw them on one slot
        CategoryPlot plot = new CategoryPlot(data, axis, new NumberAxis("proxy score"), bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        return new JFreeChart("Coarse recall: proxy scores (top " + r.recalled().size() + " recalled)", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    /** Validation accuracy per epoch of every candidate of two-phase selection, with the rounds and eliminations marked. */
    public static JFreeChart halving(SelectionComparison.Result res) {
        SuccessiveHalving.Outcome o = res.twoPhase();
        LineFigures.Builder b = LineFigures.builder("Fine selection on " + res.target() + ": successive halving with the trend filter",
                "epoch (round)", "validation accuracy").integerX(true).markers(true);
        List<String> names = new ArrayList<>(o.curves().keySet());
        for (String m : names) {
            List<Double> c = o.curves().get(m);
            double[] x = new double[c.size()], y = new double[c.size()];
            for (int i = 0; i < c.size(); i++) { x[i] = i + 1; y[i] = c.get(i); }
            b.series(short_(m) + (m.equals(o.chosen()) ? " (chosen)" : ""), x, y);
        }
        JFreeChart chart = b.build();
        XYPlot plot = chart.getXYPlot();
        plot.getDomainAxis().setRange(0.8, o.rounds().size() + 0.9);     // room for the last round's labels
        for (SuccessiveHalving.Round round : o.rounds()) {
            ValueMarker mk = new ValueMarker(round.epoch(), new Color(0x99, 0x99, 0x99), new BasicStroke(0.6f));
            mk.setLabel(String.format("round %d: %d → %d", round.epoch(), round.validation().size(), round.survivors().size()));
            mk.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            mk.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            mk.setLabelFont(new Font("SansSerif", Font.PLAIN, 9));
            plot.addDomainMarker(mk);
            for (String m : round.filtered()) plot.addAnnotation(mark("✕ trend", round.epoch(), round.validation().get(m)));
            for (String m : round.halved()) plot.addAnnotation(mark("✕ halved", round.epoch(), round.validation().get(m)));
        }
        return chart;
    }

    private static XYTextAnnotation mark(String text, double x, double y) {
        XYTextAnnotation a = new XYTextAnnotation(text, x + 0.05, y);
        a.setTextAnchor(TextAnchor.CENTER_LEFT);
        a.setFont(new Font("SansSerif", Font.PLAIN, 8));
        a.setPaint(THRESHOLD);
        return a;
    }

    /** The trend predictor's final-accuracy guess after the first round against each model's true final accuracy. */
    public static JFreeChart predictedVsActual(SelectionComparison.Result res) {
        Map<String, Double> predicted = res.twoPhase().rounds().get(0).predicted();
        LineFigures.Builder b = LineFigures.builder("Trend predictor after epoch 1: predicted vs actual final accuracy",
                "predicted final accuracy", "actual final accuracy").markers(true);
        double lo = 1, hi = 0;
        List<String> names = new ArrayList<>(predicted.keySet());
        double[] x = new double[names.size()], y = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            x[i] = predicted.get(names.get(i));
            y[i] = res.truth().getOrDefault(names.get(i), Double.NaN);
            lo = Math.min(lo, Math.min(x[i], y[i]));
            hi = Math.max(hi, Math.max(x[i], y[i]));
        }
        b.series("recalled models", x, y);
        b.series("y = x", new double[] {lo, hi}, new double[] {lo, hi});
        JFreeChart chart = b.build();
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(1, false);
        r.setSeriesPaint(1, Color.GRAY);
        for (int i = 0; i < names.size(); i++) {
            XYTextAnnotation a = new XYTextAnnotation(short_(names.get(i)), x[i], y[i]);
            a.setFont(new Font("SansSerif", Font.PLAIN, 7));
            a.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            chart.getXYPlot().addAnnotation(a);
        }
        return chart;
    }

    static List<String> short_(List<String> names) {
        return names.stream().map(SelectionFigures::short_).toList();
    }

    /** Hugging Face names are long: keep the part after the owner, cut to 28 characters. */
    static String short_(String name) {
        String s = name.contains("--") ? name.substring(name.indexOf("--") + 2) : name.contains("/") ? name.substring(name.indexOf('/') + 1) : name;
        return s.length() > 28 ? s.substring(0, 27) + "…" : s;
    }
}
