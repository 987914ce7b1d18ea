package org.layerwise.sdk.figure;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeCategoryPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.AbstractRenderer;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleInsets;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The look of a figure in a paper: white background, black axes, 8–9 pt type, no shadows or gradients.
 * It changes fonts, backgrounds and axes but never series colours, which carry meaning the workspace chose.
 * Apply it to a copy ({@link ChartFigureExport#paperCopy}) so the chart on screen keeps its look.
 */
public final class PaperTheme {
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    private static final Stroke HAIRLINE = new BasicStroke(0.5f);
    private static final Stroke GRID_STROKE = new BasicStroke(0.4f);

    private final Font titleFont;
    private final Font labelFont;
    private final Font tickFont;

    /** @param fontFamily a logical family ("SansSerif", "Serif") or an installed one */
    public PaperTheme(String fontFamily, float titleSize, float labelSize, float tickSize) {
        this.titleFont = new Font(fontFamily, Font.BOLD, 1).deriveFont(titleSize);
        this.labelFont = new Font(fontFamily, Font.PLAIN, 1).deriveFont(labelSize);
        this.tickFont = new Font(fontFamily, Font.PLAIN, 1).deriveFont(tickSize);
    }

    /** Sans-serif type: 9 pt title and axis labels, 8 pt ticks and legend. */
    public static PaperTheme sans() {
        return new PaperTheme(Font.SANS_SERIF, 9f, 9f, 8f);
    }

    /** Serif type (matches a Times body text): 9 pt title and axis labels, 8 pt ticks and legend. */
    public static PaperTheme serif() {
        return new PaperTheme(Font.SERIF, 9f, 9f, 8f);
    }

    public Font titleFont() { return titleFont; }
    public Font labelFont() { return labelFont; }
    public Font tickFont() { return tickFont; }

    /** Restyles the chart in place. */
    public void apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setBorderVisible(false);
        chart.setPadding(new RectangleInsets(2, 2, 2, 2));
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            styleTitle(chart.getTitle(), titleFont);
        }
        for (Object subtitle : chart.getSubtitles()) {
            if (subtitle instanceof Title t && t != chart.getTitle()) {
                styleSubtitle(t);
            }
        }
        stylePlot(chart.getPlot());
    }

    private void styleSubtitle(Title title) {
        if (title instanceof TextTitle t) {
            styleTitle(t, labelFont);
        } else if (title instanceof LegendTitle legend) {
            legend.setItemFont(tickFont);
            legend.setItemPaint(Color.BLACK);
            legend.setBackgroundPaint(Color.WHITE);
            legend.setFrame(BlockBorder.NONE);
        } else if (title instanceof PaintScaleLegend scale) {
            scale.setBackgroundPaint(Color.WHITE);
            scale.setStripOutlinePaint(Color.BLACK);
            scale.setStripOutlineStroke(HAIRLINE);
            styleAxis(scale.getAxis());
        }
    }

    private static void styleTitle(TextTitle title, Font font) {
        title.setFont(font);
        title.setPaint(Color.BLACK);
        title.setBackgroundPaint(null);
    }

    private void stylePlot(Plot plot) {
        if (plot == null) {
            return;
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundImage(null);
        plot.setOutlinePaint(Color.BLACK);
        plot.setOutlineStroke(HAIRLINE);
        plot.setNoDataMessageFont(labelFont);
        plot.setNoDataMessagePaint(Color.BLACK);
        if (plot instanceof XYPlot xy) {
            styleXY(xy);
        } else if (plot instanceof CategoryPlot category) {
            styleCategory(category);
        } else if (plot instanceof PiePlot<?> pie) {
            pie.setShadowPaint(null);
            pie.setLabelFont(tickFont);
            pie.setLabelPaint(Color.BLACK);
            pie.setLabelBackgroundPaint(Color.WHITE);
            pie.setLabelShadowPaint(null);
            pie.setLabelOutlinePaint(Color.BLACK);
        }
    }

    private void styleXY(XYPlot plot) {
        plot.setShadowGenerator(null);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(GRID_STROKE);
        plot.setRangeGridlineStroke(GRID_STROKE);
        plot.setDomainZeroBaselinePaint(Color.BLACK);
        plot.setRangeZeroBaselinePaint(Color.BLACK);
        styleParts(plot.getDomainAxisCount(), plot::getDomainAxis, plot.getRangeAxisCount(), plot::getRangeAxis,
                plot.getRendererCount(), plot::getRenderer);
        List<XYPlot> subplots = plot instanceof CombinedDomainXYPlot c ? c.getSubplots()
                : plot instanceof CombinedRangeXYPlot c ? c.getSubplots() : List.of();
        subplots.forEach(this::stylePlot);
    }

    private void styleCategory(CategoryPlot plot) {
        plot.setShadowGenerator(null);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(GRID_STROKE);
        plot.setRangeGridlineStroke(GRID_STROKE);
        plot.setRangeZeroBaselinePaint(Color.BLACK);
        styleParts(plot.getDomainAxisCount(), plot::getDomainAxis, plot.getRangeAxisCount(), plot::getRangeAxis,
                plot.getRendererCount(), plot::getRenderer);
        List<?> subplots = plot instanceof CombinedDomainCategoryPlot c ? c.getSubplots()
                : plot instanceof CombinedRangeCategoryPlot c ? c.getSubplots() : List.of();
        subplots.forEach(p -> stylePlot((Plot) p));
    }

    /** Axes and renderers of an XY or a category plot (JFreeChart gives the two no common interface). */
    private void styleParts(int domainAxes, IntFunction<? extends Axis> domainAxis, int rangeAxes,
                            IntFunction<? extends Axis> rangeAxis, int renderers, IntFunction<?> renderer) {
        for (int i = 0; i < domainAxes; i++) {
            styleAxis(domainAxis.apply(i));
        }
        for (int i = 0; i < rangeAxes; i++) {
            styleAxis(rangeAxis.apply(i));
        }
        for (int i = 0; i < renderers; i++) {
            if (renderer.apply(i) instanceof AbstractRenderer r) {
                styleRenderer(r);
            }
        }
    }

    private void styleAxis(Axis axis) {
        if (axis == null) {
            return;
        }
        axis.setLabelFont(labelFont);
        axis.setLabelPaint(Color.BLACK);
        axis.setTickLabelFont(tickFont);
        axis.setTickLabelPaint(Color.BLACK);
        axis.setAxisLinePaint(Color.BLACK);
        axis.setAxisLineStroke(HAIRLINE);
        axis.setTickMarkPaint(Color.BLACK);
        axis.setTickMarkStroke(HAIRLINE);
    }

    private void styleRenderer(AbstractRenderer renderer) {
        renderer.setDefaultItemLabelFont(tickFont, false);
        renderer.setDefaultItemLabelPaint(Color.BLACK, false);
        if (renderer instanceof XYLineAndShapeRenderer lines) {
            // one <path> per series instead of one <line> per segment: SVGs stay an order of magnitude smaller
            lines.setDrawSeriesLineAsPath(true);
        } else if (renderer instanceof XYBarRenderer bars) {
            bars.setShadowVisible(false);
            bars.setBarPainter(new StandardXYBarPainter());
        } else if (renderer instanceof BarRenderer bars) {
            bars.setShadowVisible(false);
            bars.setBarPainter(new StandardBarPainter());
        }
    }
}
