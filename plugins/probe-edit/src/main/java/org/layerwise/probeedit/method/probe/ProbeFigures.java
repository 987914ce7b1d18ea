package org.layerwise.probeedit.method.probe;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.layerwise.sdk.figure.Heatmap;
import org.layerwise.sdk.figure.LineFigures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The probe's figures. The paper's figure: one panel per position (last subject token, last token) on a shared
 * layer axis; rank on the left axis, inverted so that up is better; probability on the right; original answer in
 * blue, target in vermilion, rank solid and probability dashed; grey lines divide the low, middle and high
 * regions and the proposed edit regions are shaded. Series are named "panel: curve", so the CSV export is tidy.
 */
public final class ProbeFigures {
    private static final Color ORIGINAL = LineFigures.seriesColour(0);
    private static final Color TARGET = LineFigures.seriesColour(1);
    private static final Stroke SOLID = new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke DASHED = new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {4f, 2f}, 0f);

    private ProbeFigures() {}

    /** One curve of a panel: mean values and optional band bounds (null for a single fact). */
    private record Curve(String name, double[] y, double[] lower, double[] upper, Color colour, Stroke stroke) {}

    /** The paper's figure for one fact; {@code extraPositions} add panels for other token positions. */
    public static JFreeChart probe(ProbeResult r, LayerRegions regions, int... extraPositions) {
        List<Integer> positions = new ArrayList<>(List.of(r.subjectLast(), r.last()));
        for (int p : extraPositions) if (!positions.contains(p) && p >= 0 && p < r.tokens().length) positions.add(p);
        List<String> titles = new ArrayList<>();
        List<List<Curve>> ranks = new ArrayList<>();
        List<List<Curve>> probs = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            int p = positions.get(i);
            String kind = i == 0 ? "last subject token" : i == 1 ? "last token" : "position " + p;
            titles.add(kind + " \u201c" + r.tokens()[p].strip() + "\u201d");
            ranks.add(List.of(
                    new Curve("rank " + r.original().word(), r.original().rankAt(p), null, null, ORIGINAL, SOLID),
                    new Curve("rank " + r.target().word(), r.target().rankAt(p), null, null, TARGET, SOLID)));
            probs.add(List.of(
                    new Curve("p " + r.original().word(), r.original().probAt(p), null, null, ORIGINAL, DASHED),
                    new Curve("p " + r.target().word(), r.target().probAt(p), null, null, TARGET, DASHED)));
        }
        String title = "Contrast probe: " + r.request().text() + " \u2192 " + r.original().word() + " vs " + r.target().word()
                + " (" + lens(r.options()) + ")";
        return panels(title, titles, ranks, probs, regions, "Rank", true);
    }

    /** The paper's figure over a data set: means with 95% bands. */
    public static JFreeChart datasetProbe(DatasetProbe.Result r, LayerRegions regions) {
        List<String> titles = new ArrayList<>();
        List<List<Curve>> ranks = new ArrayList<>();
        List<List<Curve>> probs = new ArrayList<>();
        for (DatasetProbe.Position p : DatasetProbe.Position.values()) {
            titles.add(p.label());
            ranks.add(List.of(curve("original rank", r.band(p, DatasetProbe.ORIGINAL_RANK), ORIGINAL, SOLID),
                    curve("target rank", r.band(p, DatasetProbe.TARGET_RANK), TARGET, SOLID)));
            probs.add(List.of(curve("original prob", r.band(p, DatasetProbe.ORIGINAL_PROB), ORIGINAL, DASHED),
                    curve("target prob", r.band(p, DatasetProbe.TARGET_PROB), TARGET, DASHED)));
        }
        String title = "Contrast probe over " + r.probed() + " facts, mean \u00b1 95% (" + lens(r.options()) + ")";
        return panels(title, titles, ranks, probs, regions, "Mean rank", true);
    }

    /**
     * Before and after an edit on the same axes (e.g. the Edit tab): per position, rank on the inverted left axis
     * and probability on the right, original in blue and target in vermilion; before in pale, after in full colour.
     * Both results must come from the same prompt (same tokens).
     */
    public static JFreeChart beforeAfter(ProbeResult before, ProbeResult after, LayerRegions regions) {
        if (before.tokens().length != after.tokens().length || before.layers() != after.layers())
            throw new IllegalArgumentException("Before and after probes must read the same prompt on the same model; got "
                    + before.tokens().length + " and " + after.tokens().length + " tokens");
        List<String> titles = new ArrayList<>();
        List<List<Curve>> ranks = new ArrayList<>();
        List<List<Curve>> probs = new ArrayList<>();
        Color paleOriginal = pale(ORIGINAL);
        Color paleTarget = pale(TARGET);
        for (int i = 0; i < 2; i++) {
            int p = i == 0 ? before.subjectLast() : before.last();
            titles.add((i == 0 ? "last subject token" : "last token") + " \u201c" + before.tokens()[p].strip() + "\u201d");
            ranks.add(List.of(
                    new Curve("rank " + before.original().word() + " before", before.original().rankAt(p), null, null, paleOriginal, SOLID),
                    new Curve("rank " + before.target().word() + " before", before.target().rankAt(p), null, null, paleTarget, SOLID),
                    new Curve("rank " + after.original().word() + " after", after.original().rankAt(p), null, null, ORIGINAL, SOLID),
                    new Curve("rank " + after.target().word() + " after", after.target().rankAt(p), null, null, TARGET, SOLID)));
            probs.add(List.of(
                    new Curve("p " + before.original().word() + " before", before.original().probAt(p), null, null, paleOriginal, DASHED),
                    new Curve("p " + before.target().word() + " before", before.target().probAt(p), null, null, paleTarget, DASHED),
                    new Curve("p " + after.original().word() + " after", after.original().probAt(p), null, null, ORIGINAL, DASHED),
                    new Curve("p " + after.target().word() + " after", after.target().probAt(p), null, null, TARGET, DASHED)));
        }
        String title = "Before and after the edit: " + before.request().text() + " \u2192 " + before.original().word() + " vs "
                + before.target().word() + " (" + lens(before.options()) + ")";
        return panels(title, titles, ranks, probs, regions, "Rank", true);
    }

    private static Color pale(Color c) {
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }

    /** Summed probability of each token set (and the two answers) per position, means with 95% bands. */
    public static JFreeChart tokenSets(DatasetProbe.Result r) {
        List<String> titles = new ArrayList<>();
        List<List<Curve>> probs = new ArrayList<>();
        for (DatasetProbe.Position p : DatasetProbe.Position.values()) {
            titles.add(p.label());
            List<Curve> cs = new ArrayList<>();
            cs.add(curve("original", r.band(p, DatasetProbe.ORIGINAL_PROB), ORIGINAL, SOLID));
            cs.add(curve("target", r.band(p, DatasetProbe.TARGET_PROB), TARGET, SOLID));
            int c = 2;
            for (Map.Entry<String, Band> e : r.curves().get(p).entrySet()) {
                if (!e.getKey().startsWith("set: ")) continue;
                cs.add(curve(e.getKey().substring(5), e.getValue(), LineFigures.seriesColour(c++), DASHED));
            }
            probs.add(cs);
        }
        return panels("Summed probability of token sets over " + r.probed() + " facts (" + lens(r.options()) + ")",
                titles, probs, null, null, "Probability", false);
    }

    /** Layers × token positions heatmap of one tracked token's probability. */
    public static JFreeChart heatmap(ProbeResult r, TokenTrack track) {
        double[][] v = new double[r.layers()][r.tokens().length];
        for (int l = 0; l < v.length; l++) for (int t = 0; t < v[l].length; t++) v[l][t] = track.prob()[l][t];
        List<String> rows = new ArrayList<>();
        for (int l = 0; l < v.length; l++) rows.add(String.valueOf(l));
        List<String> cols = new ArrayList<>();
        for (int t = 0; t < r.tokens().length; t++) cols.add(t + " " + r.tokens()[t].strip());
        return Heatmap.of(v).title("p(\u201c" + track.token().strip() + "\u201d) by layer and position (" + lens(r.options()) + ")")
                .rowAxis("Layer").columnAxis("Token").rowLabels(rows).columnLabels(cols)
                .valueLabel("p(" + track.word() + ")").range(0, Math.max(1e-6, max(v))).chart();
    }

    static String lens(ProbeOptions o) {
        return o.site().label() + (o.finalNorm() ? ", final norm" : ", no final norm");
    }

    private static double max(double[][] v) {
        double m = 0;
        for (double[] row : v) for (double x : row) m = Math.max(m, x);
        return m;
    }

    private static Curve curve(String name, Band b, Color colour, Stroke stroke) {
        return new Curve(name, b.mean(), b.lower(), b.upper(), colour, stroke);
    }

    /**
     * Stacked panels on one layer axis. {@code left} curves on the left axis (inverted when asked); {@code right}
     * curves (may be null) on a right-hand probability axis 0..1.
     */
    private static JFreeChart panels(String title, List<String> panelTitles, List<List<Curve>> left, List<List<Curve>> right,
                                     LayerRegions regions, String leftLabel, boolean invertLeft) {
        NumberAxis layers = new NumberAxis("Layer");
        layers.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        layers.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(layers);
        combined.setGap(8);
        for (int i = 0; i < panelTitles.size(); i++) {
            String prefix = panelTitles.get(i) + ": ";
            NumberAxis leftAxis = new NumberAxis(leftLabel + " · " + panelTitles.get(i));
            leftAxis.setInverted(invertLeft);
            leftAxis.setAutoRangeIncludesZero(invertLeft);
            if (!invertLeft) leftAxis.setRange(0, 1.0);
            XYPlot plot = new XYPlot();
            plot.setRangeAxis(0, leftAxis);
            addCurves(plot, 0, 0, prefix, left.get(i));
            if (right != null) {
                NumberAxis prob = new NumberAxis("Probability");
                prob.setRange(0, 1.0);
                plot.setRangeAxis(1, prob);
                plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
                addCurves(plot, 2, 1, prefix, right.get(i));
            }
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
            plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
            if (regions != null) mark(plot, regions);
            combined.add(plot, 1);
        }
        // one legend entry per curve (the same in every panel), not per panel
        LegendItemCollection legend = new LegendItemCollection();
        List<Curve> all = new ArrayList<>(left.get(0));
        if (right != null) all.addAll(right.get(0));
        for (Curve c : all) {
            LegendItem item = new LegendItem(c.name(), null, null, null, new java.awt.geom.Line2D.Double(-7, 0, 7, 0), c.stroke(), c.colour());
            legend.add(item);
        }
        combined.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 12), combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getLegend() != null) chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    /**
     * Curves of one axis: datasets 2k (+0 the lines, +1 the band bounds as hidden series so the CSV keeps them).
     */
    private static void addCurves(XYPlot plot, int base, int axis, String prefix, List<Curve> curves) {
        boolean banded = curves.stream().anyMatch(c -> c.lower() != null);
        if (banded) {
            YIntervalSeriesCollection lines = new YIntervalSeriesCollection();
            DeviationRenderer renderer = new DeviationRenderer(true, false);
            XYSeriesCollection bounds = new XYSeriesCollection();
            for (int s = 0; s < curves.size(); s++) {
                Curve c = curves.get(s);
                YIntervalSeries series = new YIntervalSeries(prefix + c.name());
                for (int l = 0; l < c.y().length; l++) series.add(l, c.y()[l], c.lower()[l], c.upper()[l]);
                lines.addSeries(series);
                renderer.setSeriesPaint(s, c.colour());
                renderer.setSeriesFillPaint(s, c.colour());
                renderer.setSeriesStroke(s, c.stroke());
                bounds.addSeries(series(prefix + c.name() + " (95% lower)", c.lower()));
                bounds.addSeries(series(prefix + c.name() + " (95% upper)", c.upper()));
            }
            renderer.setAlpha(0.18f);
            plot.setDataset(base, lines);
            plot.setRenderer(base, renderer);
            plot.mapDatasetToRangeAxis(base, axis);
            XYLineAndShapeRenderer hidden = new XYLineAndShapeRenderer(false, false);
            hidden.setDefaultSeriesVisibleInLegend(false);
            plot.setDataset(base + 1, bounds);
            plot.setRenderer(base + 1, hidden);
            plot.mapDatasetToRangeAxis(base + 1, axis);
        } else {
            XYSeriesCollection lines = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
            renderer.setDrawSeriesLineAsPath(true);
            for (int s = 0; s < curves.size(); s++) {
                Curve c = curves.get(s);
                lines.addSeries(series(prefix + c.name(), c.y()));
                renderer.setSeriesPaint(s, c.colour());
                renderer.setSeriesStroke(s, c.stroke());
                renderer.setSeriesShape(s, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
            }
            plot.setDataset(base, lines);
            plot.setRenderer(base, renderer);
            plot.mapDatasetToRangeAxis(base, axis);
        }
    }

    private static XYSeries series(String name, double[] y) {
        XYSeries s = new XYSeries(name, false, true);
        for (int l = 0; l < y.length; l++) s.add(l, y[l]);
        return s;
    }

    /** Region dividers (grey lines) and light shading of the proposed edit regions. */
    private static void mark(XYPlot plot, LayerRegions regions) {
        Color grey = new Color(0x88, 0x88, 0x88);
        for (double x : new double[] {regions.lowEnd() + 0.5, regions.highStart() - 0.5}) {
            ValueMarker m = new ValueMarker(x, grey, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 2f}, 0f));
            plot.addDomainMarker(m, Layer.BACKGROUND);
        }
        plot.addDomainMarker(new IntervalMarker(regions.lowStart() - 0.5, regions.lowEnd() + 0.5, new Color(0, 114, 178, 28)), Layer.BACKGROUND);
        plot.addDomainMarker(new IntervalMarker(regions.highStart() - 0.5, regions.highEnd() + 0.5, new Color(213, 94, 0, 28)), Layer.BACKGROUND);
    }
}
