package org.layerwise.sdk.figure;

import org.layerwise.engine.io.AtomicFiles;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawerDefaultFonts;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeCategoryPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.text.TextUtils;
import org.layerwise.sdk.FigureExport;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;

/**
 * {@link FigureExport} for JFreeChart charts, with Apache-2.0 back ends: PDF through PDFBox's Graphics2D bridge,
 * SVG through Batik, PNG through ImageIO. Text stays text in PDF and SVG, so a figure can be searched and
 * its labels edited. The chart is drawn at its paper size in points (1/72 in), so the theme's 8–9 pt type is
 * 8–9 pt on the page. Thread-safe; it never touches JavaFX, so the CLI can use it too.
 */
public final class ChartFigureExport implements FigureExport {
    public static final int MIN_DPI = 36;
    public static final int MAX_DPI = 2400;
    private static final double POINTS_PER_INCH = 72.0;
    private static final double METRES_PER_INCH = 0.0254;
    private static final String PNG_METADATA = "javax_imageio_png_1.0";

    static {
        // JFreeChart draws rotated labels (the y-axis title) through TextLayout by default, a workaround for a
        // JDK 1.4 bug; TextLayout turns them into glyph outlines in PDF and SVG. Java 17 rotates drawString fine.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private final PaperTheme theme;

    public ChartFigureExport() {
        this(PaperTheme.sans());
    }

    public ChartFigureExport(PaperTheme theme) {
        this.theme = Objects.requireNonNull(theme, "theme");
    }

    public PaperTheme theme() {
        return theme;
    }

    /** The usual file extension (without dot) for a format. */
    public static String extension(Format format) {
        return format.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void export(JFreeChart chart, Format format, Width width, double aspect, int dpi, Path target)
            throws IOException {
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(target, "target");
        Path folder = target.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IOException("Cannot write " + target.toAbsolutePath() + ": the folder " + folder
                    + " does not exist. Choose an existing folder.");
        }
        if (format == Format.CSV) {
            AtomicFiles.write(target, out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                DatasetCsv.write(chart, w);
                w.flush();
            });
            return;
        }
        checkSize(width, aspect);
        if (format == Format.PNG) {
            checkDpi(dpi);
        }
        JFreeChart paper = paperCopy(chart);
        try {
            switch (format) {
                case PDF -> writePdf(paper, width, aspect, target);
                case SVG -> writeSvg(paper, width, aspect, target);
                case PNG -> {
                    BufferedImage image = draw(paper, width, aspect, dpi);
                    AtomicFiles.write(target, out -> writePng(image, dpi, out));
                }
                default -> throw new IllegalStateException("unhandled format " + format);
            }
        } catch (RuntimeException e) {
            // a chart that fails to draw (bad renderer, broken dataset) must still surface as an export error
            throw new IOException("Could not draw the chart for " + target.getFileName() + ": " + e, e);
        } finally {
            detachFromData(paper.getPlot());
        }
    }

    /** The chart drawn as a bitmap of (inches × dpi) pixels in the paper theme, e.g. for the clipboard. */
    public BufferedImage renderImage(JFreeChart chart, Width width, double aspect, int dpi) throws IOException {
        checkSize(width, aspect);
        checkDpi(dpi);
        JFreeChart paper = paperCopy(chart);
        try {
            return draw(paper, width, aspect, dpi);
        } catch (RuntimeException e) {
            throw new IOException("Could not draw the chart: " + e, e);
        } finally {
            detachFromData(paper.getPlot());
        }
    }

    /**
     * A copy of the chart restyled by the paper theme. Datasets are shared with the original (JFreeChart's
     * clone does not copy them), so the copy costs little even for large data.
     */
    public JFreeChart paperCopy(JFreeChart chart) throws IOException {
        JFreeChart copy = snapshot(chart);
        theme.apply(copy);
        return copy;
    }

    private static void checkSize(Width width, double aspect) {
        Objects.requireNonNull(width, "width");
        if (!(aspect > 0.05 && aspect < 20)) {
            throw new IllegalArgumentException("aspect (height/width) must be between 0.05 and 20, got " + aspect);
        }
    }

    private static void checkDpi(int dpi) {
        if (dpi < MIN_DPI || dpi > MAX_DPI) {
            throw new IllegalArgumentException("DPI must be between " + MIN_DPI + " and " + MAX_DPI + ", got " + dpi);
        }
    }

    static double widthPoints(Width width) {
        return width.inches * POINTS_PER_INCH;
    }

    static double heightPoints(Width width, double aspect) {
        return width.inches * aspect * POINTS_PER_INCH;
    }

    private void writePdf(JFreeChart paper, Width width, double aspect, Path target) throws IOException {
        float w = (float) widthPoints(width);
        float h = (float) heightPoints(width, aspect);
        // the font drawer keeps temporary font files until closed, which must happen after the document closes
        try (PdfBoxGraphics2DFontTextDrawerDefaultFonts fonts = new PdfBoxGraphics2DFontTextDrawerDefaultFonts();
             PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(w, h));
            document.addPage(page);
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(document, w, h);
            g.setFontTextDrawer(fonts);
            try {
                paper.draw(g, new Rectangle2D.Double(0, 0, w, h));
            } finally {
                g.dispose();
            }
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.drawForm(g.getXFormObject());
            }
            PDDocumentInformation info = document.getDocumentInformation();
            info.setCreator("Layerwise");
            if (paper.getTitle() != null && paper.getTitle().getText() != null) {
                info.setTitle(paper.getTitle().getText());
            }
            AtomicFiles.write(target, document::save);
        }
    }

    private void writeSvg(JFreeChart paper, Width width, double aspect, Path target) throws IOException {
        double w = widthPoints(width);
        double h = heightPoints(width, aspect);
        Document document = GenericDOMImplementation.getDOMImplementation()
                .createDocument("http://www.w3.org/2000/svg", "svg", null);
        SVGGeneratorContext context = SVGGeneratorContext.createDefault(document);
        context.setComment("Layerwise figure");
        context.setEmbeddedFontsOn(false);
        SVGGraphics2D g = new SVGGraphics2D(context, false); // false: text as <text>, not glyph outlines
        g.setSVGCanvasSize(new Dimension((int) Math.ceil(w), (int) Math.ceil(h)));
        paper.draw(g, new Rectangle2D.Double(0, 0, w, h));
        Element root = g.getRoot();
        // physical size, so the figure imports at its column width; user units stay points
        root.setAttributeNS(null, "width", decimal(w) + "pt");
        root.setAttributeNS(null, "height", decimal(h) + "pt");
        root.setAttributeNS(null, "viewBox", "0 0 " + decimal(w) + " " + decimal(h));
        AtomicFiles.write(target, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            g.stream(root, writer, true, false);
            writer.flush();
        });
        g.dispose();
    }

    private static String decimal(double v) {
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
    }

    private static BufferedImage draw(JFreeChart paper, Width width, double aspect, int dpi) {
        int px = (int) Math.round(width.inches * dpi);
        int py = (int) Math.round(width.inches * aspect * dpi);
        BufferedImage image = new BufferedImage(px, py, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, px, py);
            // draw in points and let the transform scale to pixels: the layout is the same as in the PDF
            double scale = dpi / POINTS_PER_INCH;
            g.scale(scale, scale);
            paper.draw(g, new Rectangle2D.Double(0, 0, px / scale, py / scale));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes a PNG whose pHYs chunk records the DPI, so layout programs place it at its physical size. */
    static void writePng(BufferedImage image, int dpi, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("This Java runtime has no PNG writer (ImageIO); use PDF or SVG instead.");
        }
        ImageWriter writer = writers.next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(image), param);
            String pixelsPerMetre = Long.toString(Math.round(dpi / METRES_PER_INCH));
            IIOMetadataNode physical = new IIOMetadataNode("pHYs");
            physical.setAttribute("pixelsPerUnitXAxis", pixelsPerMetre);
            physical.setAttribute("pixelsPerUnitYAxis", pixelsPerMetre);
            physical.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode(PNG_METADATA);
            root.appendChild(physical);
            metadata.mergeTree(PNG_METADATA, root);
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
        } finally {
            writer.dispose();
        }
    }

    /**
     * A plain copy of the chart (no restyling) that a caller can hand to another thread while the original keeps
     * changing on the FX thread. Release it with {@link #release(JFreeChart)} when done.
     */
    public static JFreeChart snapshot(JFreeChart chart) throws IOException {
        try {
            return (JFreeChart) chart.clone();
        } catch (CloneNotSupportedException e) {
            throw new IOException("This chart cannot be copied for export (" + e.getMessage()
                    + "); one of its renderers or annotations is not cloneable.", e);
        }
    }

    /** Unhooks a copy from the datasets it shares with its original, so they do not keep it alive. */
    public static void release(JFreeChart copy) {
        detachFromData(copy.getPlot());
    }

    /**
     * The copy registered itself as a listener on the shared datasets; unhook it so the datasets do not keep
     * every exported copy alive.
     */
    private static void detachFromData(Plot plot) {
        if (plot instanceof CombinedDomainXYPlot c) {
            c.getSubplots().forEach(ChartFigureExport::detachFromData);
        } else if (plot instanceof CombinedRangeXYPlot c) {
            c.getSubplots().forEach(ChartFigureExport::detachFromData);
        } else if (plot instanceof CombinedDomainCategoryPlot c) {
            c.getSubplots().forEach(p -> detachFromData((Plot) p));
        } else if (plot instanceof CombinedRangeCategoryPlot c) {
            c.getSubplots().forEach(p -> detachFromData((Plot) p));
        }
        if (plot instanceof XYPlot xy) {
            xy.getDatasets().values().stream().filter(Objects::nonNull).forEach(d -> d.removeChangeListener(xy));
        } else if (plot instanceof CategoryPlot category) {
            category.getDatasets().values().stream().filter(Objects::nonNull)
                    .forEach(d -> d.removeChangeListener(category));
        }
    }
}
