package org.layerwise.sdk.figure;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.layerwise.sdk.FigureExport.Format;
import org.layerwise.sdk.FigureExport.Width;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ChartFigureExportTest {
    private final ChartFigureExport export = new ChartFigureExport();

    @TempDir
    Path dir;

    private static JFreeChart lineChart(int points) {
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            y[i] = Math.sin(i / 10.0);
        }
        return LineFigures.builder("Residual norm", "Layer index", "Norm").series("norm", y).build();
    }

    @Test
    void pdfIsVectorWithTextAndColumnSize() throws IOException {
        Path pdf = dir.resolve("fig.pdf");
        export.export(lineChart(50), Format.PDF, Width.SINGLE_COLUMN, 0.75, 300, pdf);

        byte[] bytes = Files.readAllBytes(pdf);
        assertThat(new String(bytes, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            PDRectangle box = doc.getPage(0).getMediaBox();
            assertThat(box.getWidth()).isCloseTo(3.5f * 72, within(0.01f));
            assertThat(box.getHeight()).isCloseTo(3.5f * 0.75f * 72, within(0.01f));
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Residual norm").contains("Layer index");
            // the rotated y label is text too; the stripper breaks rotated runs into lines
            assertThat(text.replaceAll("\\s", "")).contains("Norm");
        }
    }

    @Test
    void doubleColumnPdfIsSevenInchesWide() throws IOException {
        Path pdf = dir.resolve("wide.pdf");
        export.export(lineChart(10), Format.PDF, Width.DOUBLE_COLUMN, 0.5, 300, pdf);
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertThat(doc.getPage(0).getMediaBox().getWidth()).isCloseTo(7f * 72, within(0.01f));
            assertThat(doc.getPage(0).getMediaBox().getHeight()).isCloseTo(7f * 0.5f * 72, within(0.01f));
        }
    }

    @Test
    void svgIsXmlWithTextElementsAndSeriesAsOnePath() throws Exception {
        JFreeChart chart = lineChart(2000);
        // the workspace left segment-by-segment drawing on; the export still writes one path per series
        ((XYLineAndShapeRenderer) chart.getXYPlot().getRenderer()).setDrawSeriesLineAsPath(false);
        Path svg = dir.resolve("fig.svg");
        export.export(chart, Format.SVG, Width.SINGLE_COLUMN, 0.75, 300, svg);

        Document doc = parseXml(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getAttribute("width")).isEqualTo("252pt");
        assertThat(root.getAttribute("height")).isEqualTo("189pt");
        NodeList texts = doc.getElementsByTagNameNS("*", "text");
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            strings.add(texts.item(i).getTextContent().trim());
        }
        assertThat(strings).contains("Residual norm", "Layer index", "Norm");
        assertThat(doc.getElementsByTagNameNS("*", "line").getLength()).isLessThan(100);
        assertThat(Files.size(svg)).isLessThan(200_000);
        // the chart on screen keeps its own setting
        assertThat(((XYLineAndShapeRenderer) chart.getXYPlot().getRenderer()).getDrawSeriesLineAsPath()).isFalse();
    }

    @Test
    void pngHasPixelSizeAndDpiMetadata() throws IOException {
        for (int dpi : new int[]{150, 300}) {
            Path png = dir.resolve("fig" + dpi + ".png");
            export.export(lineChart(20), Format.PNG, Width.SINGLE_COLUMN, 0.75, dpi, png);
            try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
                ImageReader reader = ImageIO.getImageReaders(in).next();
                reader.setInput(in);
                assertThat(reader.getWidth(0)).isEqualTo((int) Math.round(3.5 * dpi));
                assertThat(reader.getHeight(0)).isEqualTo((int) Math.round(3.5 * 0.75 * dpi));
                IIOMetadataNode tree = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
                IIOMetadataNode phys = (IIOMetadataNode) tree.getElementsByTagName("pHYs").item(0);
                assertThat(phys.getAttribute("unitSpecifier")).isEqualTo("meter");
                double x = Double.parseDouble(phys.getAttribute("pixelsPerUnitXAxis")) * 0.0254;
                double y = Double.parseDouble(phys.getAttribute("pixelsPerUnitYAxis")) * 0.0254;
                assertThat(Math.round(x)).isEqualTo(dpi);
                assertThat(Math.round(y)).isEqualTo(dpi);
                reader.dispose();
            }
        }
    }

    @Test
    void renderedImageIsOpaqueWhitePaper() throws IOException {
        BufferedImage image = export.renderImage(lineChart(20), Width.SINGLE_COLUMN, 0.75, 150);
        assertThat(image.getWidth()).isEqualTo(525);
        assertThat(new Color(image.getRGB(1, 1))).isEqualTo(Color.WHITE);
    }

    @Test
    void exportLeavesTheScreenChartUntouched() throws IOException {
        JFreeChart chart = lineChart(10);
        chart.setBackgroundPaint(Color.DARK_GRAY);
        Font titleFont = chart.getTitle().getFont();
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.LIGHT_GRAY);

        export.export(chart, Format.PDF, Width.SINGLE_COLUMN, 0.75, 300, dir.resolve("a.pdf"));

        assertThat(chart.getBackgroundPaint()).isEqualTo(Color.DARK_GRAY);
        assertThat(chart.getTitle().getFont()).isEqualTo(titleFont);
        assertThat(plot.getBackgroundPaint()).isEqualTo(Color.LIGHT_GRAY);
        JFreeChart paper = export.paperCopy(chart);
        assertThat(paper.getBackgroundPaint()).isEqualTo(Color.WHITE);
        assertThat(paper.getTitle().getFont().getSize2D()).isEqualTo(9f);
        assertThat(paper.getXYPlot().getDomainAxis().getTickLabelFont().getSize2D()).isEqualTo(8f);
    }

    @Test
    void xyCsvHasOneRowPerPoint() throws IOException {
        JFreeChart chart = LineFigures.builder("t", "x", "y")
                .series("a, quoted \"one\"", new double[]{1, 2}, new double[]{0.5, 1e-5})
                .series("b", new double[]{3})
                .build();
        Path csv = dir.resolve("data.csv");
        export.export(chart, Format.CSV, Width.SINGLE_COLUMN, 0.75, 300, csv);
        assertThat(Files.readAllLines(csv)).containsExactly(
                "series,x,y",
                "\"a, quoted \"\"one\"\"\",1,0.5",
                "\"a, quoted \"\"one\"\"\",2,1.0E-5",
                "b,0,3");
    }

    @Test
    void secondaryAxisSeriesAreInTheCsvToo() throws IOException {
        JFreeChart chart = LineFigures.probabilityAndRank("lens", "Layer", new double[]{0, 1},
                new double[]{0.1, 0.9}, new double[]{40, 1});
        Path csv = dir.resolve("pr.csv");
        export.export(chart, Format.CSV, Width.SINGLE_COLUMN, 0.75, 300, csv);
        assertThat(Files.readAllLines(csv)).containsExactly(
                "series,x,y", "probability,0,0.1", "probability,1,0.9", "rank,0,40", "rank,1,1");
    }

    @Test
    void heatmapCsvIsColumnRowValue() throws IOException {
        JFreeChart chart = Heatmap.of(new double[][]{{1, 2, 3}, {4, 5, Double.NaN}}).title("h").chart();
        Path csv = dir.resolve("heat.csv");
        export.export(chart, Format.CSV, Width.SINGLE_COLUMN, 0.75, 300, csv);
        assertThat(Files.readAllLines(csv)).containsExactly(
                "x,y,z", "0,0,1", "1,0,2", "2,0,3", "0,1,4", "1,1,5", "2,1,");
    }

    @Test
    void categoryCsvIsRowColumnValue() throws IOException {
        var data = new org.jfree.data.category.DefaultCategoryDataset();
        data.addValue(0.25, "edit", "layer 3");
        data.addValue(0.75, "edit", "layer 4");
        data.addValue(0.5, "base", "layer 3");
        JFreeChart chart = org.jfree.chart.ChartFactory.createBarChart("bars", "layer", "acc", data);
        Path csv = dir.resolve("bars.csv");
        export.export(chart, Format.CSV, Width.SINGLE_COLUMN, 0.75, 300, csv);
        assertThat(Files.readAllLines(csv)).containsExactly(
                "row,column,value", "edit,layer 3,0.25", "edit,layer 4,0.75", "base,layer 3,0.5", "base,layer 4,");
    }

    @Test
    void failedMoveLeavesNoFileBehind() throws IOException {
        Path target = Files.createDirectory(dir.resolve("taken.pdf"));
        Files.writeString(target.resolve("keep.txt"), "x");

        assertThatThrownBy(() -> export.export(lineChart(5), Format.PDF, Width.SINGLE_COLUMN, 0.75, 300, target))
                .isInstanceOf(IOException.class).hasMessageContaining("folder");

        assertThat(listing(dir)).containsExactly("taken.pdf");
        assertThat(listing(target)).containsExactly("keep.txt");
    }

    @Test
    void missingFolderFailsWithAClearMessage() {
        Path target = dir.resolve("no/such/folder/fig.svg");
        assertThatThrownBy(() -> export.export(lineChart(5), Format.SVG, Width.SINGLE_COLUMN, 0.75, 300, target))
                .isInstanceOf(IOException.class).hasMessageContaining("does not exist");
        assertThat(Files.exists(dir.resolve("no"))).isFalse();
    }

    @Test
    void chartThatFailsToDrawLeavesNothing() {
        JFreeChart chart = lineChart(5);
        chart.getXYPlot().setRenderer(new XYLineAndShapeRenderer() {
            @Override
            public void drawItem(java.awt.Graphics2D g2, org.jfree.chart.renderer.xy.XYItemRendererState state,
                                 java.awt.geom.Rectangle2D dataArea, org.jfree.chart.plot.PlotRenderingInfo info,
                                 XYPlot plot, org.jfree.chart.axis.ValueAxis domainAxis,
                                 org.jfree.chart.axis.ValueAxis rangeAxis, org.jfree.data.xy.XYDataset dataset,
                                 int series, int item, org.jfree.chart.plot.CrosshairState crosshairState, int pass) {
                throw new IllegalStateException("renderer broke");
            }
        });
        for (var format : new Format[]{Format.PDF, Format.SVG, Format.PNG}) {
            Path target = dir.resolve("broken." + ChartFigureExport.extension(format));
            assertThatThrownBy(() -> export.export(chart, format, Width.SINGLE_COLUMN, 0.75, 150, target))
                    .isInstanceOf(IOException.class).hasMessageContaining("renderer broke");
        }
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void rejectsSillySizes() {
        Path target = dir.resolve("x.png");
        assertThatThrownBy(() -> export.export(lineChart(3), Format.PNG, Width.SINGLE_COLUMN, 0.75, 5000, target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DPI");
        assertThatThrownBy(() -> export.export(lineChart(3), Format.PDF, Width.SINGLE_COLUMN, 0, 300, target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aspect");
    }

    private static Document parseXml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // Batik writes the SVG 1.0 DOCTYPE; never fetch its DTD (tests run offline)
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<String> listing(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
