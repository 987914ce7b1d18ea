package org.layerwise.sdk.figure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.data.general.AbstractDataset;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.sdk.FigureExport.Format;
import org.layerwise.sdk.FigureExport.Width;

import javax.swing.event.EventListenerList;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FigureFactoriesTest {
    @TempDir
    Path dir;

    @Test
    void heatmapPlacesColumnsOnXAndRowsOnY() {
        JFreeChart chart = Heatmap.of(new double[][]{{1, 2}, {3, 4}, {5, 6}})
                .rowAxis("Layer").columnAxis("Position").columnLabels(List.of("The", "cat")).chart();
        XYPlot plot = chart.getXYPlot();
        XYZDataset data = (XYZDataset) plot.getDataset();
        assertThat(data.getItemCount(0)).isEqualTo(6);
        // item 3 is row 1, column 1
        assertThat(data.getXValue(0, 3)).isEqualTo(1);
        assertThat(data.getYValue(0, 3)).isEqualTo(1);
        assertThat(data.getZValue(0, 3)).isEqualTo(4);
        assertThat(plot.getDomainAxis()).isInstanceOf(SymbolAxis.class);
        assertThat(((SymbolAxis) plot.getDomainAxis()).getSymbols()).containsExactly("The", "cat");
        assertThat(plot.getRangeAxis().getLabel()).isEqualTo("Layer");
        assertThat(plot.getRangeAxis().getRange().getLength()).isEqualTo(3.0);
        assertThat(chart.getSubtitles()).anyMatch(t -> t instanceof PaintScaleLegend);
        ColourScale scale = (ColourScale) ((XYBlockRenderer) plot.getRenderer()).getPaintScale();
        assertThat(scale.getLowerBound()).isEqualTo(1);
        assertThat(scale.getUpperBound()).isEqualTo(6);
    }

    @Test
    void divergingScaleIsSymmetricWithWhiteishZero() {
        JFreeChart chart = Heatmap.of(new double[][]{{-0.5, 2}}).scale(Heatmap.Scale.DIVERGING).chart();
        ColourScale scale = (ColourScale) ((XYBlockRenderer) chart.getXYPlot().getRenderer()).getPaintScale();
        assertThat(scale.getLowerBound()).isEqualTo(-2);
        assertThat(scale.getUpperBound()).isEqualTo(2);
        Color zero = (Color) scale.getPaint(0);
        assertThat(zero.getRed()).isGreaterThan(240);
        assertThat(zero.getGreen()).isGreaterThan(240);
        assertThat(zero.getBlue()).isGreaterThan(240);
        assertThat(scale.getPaint(-99)).isEqualTo(scale.getPaint(-2));
        assertThat(scale.getPaint(Double.NaN)).isNotEqualTo(scale.getPaint(0));
    }

    @Test
    void heatmapRejectsRaggedInputAndWrongLabelCounts() {
        assertThatThrownBy(() -> Heatmap.of(new double[][]{{1, 2}, {3}}))
                .hasMessageContaining("row 1 has 1");
        assertThatThrownBy(() -> Heatmap.of(new double[][]{{1, 2}}).columnLabels(List.of("a")))
                .hasMessageContaining("1 column labels for 2 columns");
    }

    @Test
    void heatmapFromAnNDArray() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray matrix = manager.arange(6f).reshape(new Shape(2, 3));
            XYZDataset data = (XYZDataset) Heatmap.of(matrix).chart().getXYPlot().getDataset();
            assertThat(data.getItemCount(0)).isEqualTo(6);
            assertThat(data.getZValue(0, 4)).isEqualTo(4); // row 1, column 1
            assertThat(data.getXValue(0, 4)).isEqualTo(1);
            assertThat(data.getYValue(0, 4)).isEqualTo(1);
            assertThatThrownBy(() -> Heatmap.of(manager.zeros(new Shape(2, 2, 2))))
                    .hasMessageContaining("2-D");
        }
    }

    @Test
    void probabilityAndRankUsesAnInvertedLogSecondaryAxis() {
        JFreeChart chart = LineFigures.probabilityAndRank("t", "Layer", new double[]{0, 1, 2},
                new double[]{0.1, 0.2, 0.9}, new double[]{500, 20, 1});
        XYPlot plot = chart.getXYPlot();
        assertThat(plot.getRangeAxis(0).getRange().getUpperBound()).isEqualTo(1.0);
        assertThat(plot.getRangeAxis(1)).isInstanceOf(LogAxis.class);
        assertThat(plot.getRangeAxis(1).isInverted()).isTrue();
        assertThat(plot.getRangeAxisForDataset(1)).isSameAs(plot.getRangeAxis(1));
        assertThat(((XYLineAndShapeRenderer) plot.getRenderer(0)).getDrawSeriesLineAsPath()).isTrue();
        assertThat(plot.getRenderer(1).getSeriesPaint(0)).isNotEqualTo(plot.getRenderer(0).getSeriesPaint(0));
    }

    @Test
    void lineFiguresRejectMismatchedAndDuplicateSeries() {
        assertThatThrownBy(() -> LineFigures.builder("t", "x", "y").series("a", new double[]{1}, new double[]{1, 2}))
                .hasMessageContaining("1 x values but 2 y values");
        assertThatThrownBy(() -> LineFigures.builder("t", "x", "y")
                .series("a", new double[]{1}).series("a", new double[]{2}))
                .hasMessageContaining("two series are named 'a'");
    }

    @Test
    void exportDoesNotLeaveCopiesListeningToTheData() throws Exception {
        JFreeChart chart = Heatmap.of(new double[][]{{1, 2}, {3, 4}}).chart();
        AbstractDataset data = (AbstractDataset) chart.getXYPlot().getDataset();
        int before = listeners(data);
        ChartFigureExport export = new ChartFigureExport();
        for (Format format : new Format[]{Format.PDF, Format.SVG, Format.PNG}) {
            export.export(chart, format, Width.SINGLE_COLUMN, 0.75, 72,
                    dir.resolve("h." + ChartFigureExport.extension(format)));
        }
        assertThat(listeners(data)).isEqualTo(before);
    }

    private static int listeners(AbstractDataset dataset) throws ReflectiveOperationException {
        var field = AbstractDataset.class.getDeclaredField("listenerList");
        field.setAccessible(true);
        return ((EventListenerList) field.get(dataset)).getListenerCount();
    }

    @Test
    void aSinglePointGetsAReadableRangeNotIdenticalTicks() {
        org.jfree.chart.JFreeChart chart = LineFigures.builder("t", "step", "tokens/s")
                .series("rate", new double[] {2}, new double[] {7.085984}).markers(true).build();
        org.jfree.chart.axis.ValueAxis y = chart.getXYPlot().getRangeAxis();
        org.assertj.core.api.Assertions.assertThat(y.getRange().getLength()).isGreaterThanOrEqualTo(0.1);
        org.assertj.core.api.Assertions.assertThat(y.getRange().contains(7.085984)).isTrue();
    }
}
