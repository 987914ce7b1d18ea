import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGraphics2D;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Layerwise's icon set, drawn once with Java2D and written twice: into Batik's SVGGraphics2D (the
 * {@code svg/} sources) and into BufferedImages at every size (the {@code png/} renderings). One flat
 * style: a rounded tile in the workspace's colour with a white glyph on a 64-unit grid; tints of the tile
 * colour stand for "less important" parts, so nothing relies on transparency and overlaps stay clean.
 * Run by {@code icons/render.sh} (which also copies the PNGs into the app and plugin resources):
 * {@code java -cp <batik jars> icons/LayerwiseIcons.java icons}
 */
public final class LayerwiseIcons {
    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256, 512};
    static final Color WHITE = Color.WHITE;
    /** The one accent: the highlighted layer of the app mark. */
    static final Color AMBER = new Color(0xffb23f);

    record Icon(Color tile, Consumer<Graphics2D> glyph) {}

    static final Map<String, Icon> ICONS = new LinkedHashMap<>();
    static {
        ICONS.put("layerwise", new Icon(new Color(0x2f5fcc), g -> layers(g, new Color(0x2f5fcc))));
        ICONS.put("probe-edit", new Icon(new Color(0x0e8a8c), g -> probe(g, new Color(0x0e8a8c))));
        ICONS.put("flatness", new Icon(new Color(0x3b9b4f), LayerwiseIcons::flatness));
        ICONS.put("rationale", new Icon(new Color(0xc9901a), g -> rationale(g, new Color(0xc9901a))));
        ICONS.put("prompt-opt", new Icon(new Color(0xc2417f), LayerwiseIcons::promptOpt));
        ICONS.put("model-select", new Icon(new Color(0xe0752d), g -> modelSelect(g, new Color(0xe0752d))));
        ICONS.put("builder", new Icon(new Color(0x2596be), g -> builder(g, new Color(0x2596be))));
        ICONS.put("playground", new Icon(new Color(0x6a4fc9), g -> playground(g, new Color(0x6a4fc9))));
        ICONS.put("runs", new Icon(new Color(0x56647a), LayerwiseIcons::runs));
        ICONS.put("workspace", new Icon(new Color(0x8190a6), LayerwiseIcons::grid));
        ICONS.put("broken", new Icon(new Color(0xc0392b), LayerwiseIcons::warning));
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "icons");
        Files.createDirectories(out.resolve("svg"));
        Files.createDirectories(out.resolve("png"));
        for (Map.Entry<String, Icon> e : ICONS.entrySet()) {
            Consumer<Graphics2D> paint = g -> tile(g, e.getValue());
            writeSvg(out.resolve("svg").resolve(e.getKey() + ".svg"), 64, 64, paint);
            for (int size : SIZES) {
                writePng(out.resolve("png").resolve(e.getKey() + "-" + size + ".png"), size, size, 64, paint);
            }
        }
        // the wordmark for the README and the guide: the mark and the name
        Consumer<Graphics2D> wordmark = LayerwiseIcons::wordmark;
        writeSvg(out.resolve("svg").resolve("layerwise-wordmark.svg"), 256, 64, wordmark);
        writePng(out.resolve("png").resolve("layerwise-wordmark.png"), 512, 128, 64, wordmark);
        System.out.println("Wrote " + ICONS.size() + " icons (SVG + " + SIZES.length + " PNG sizes) and the wordmark to " + out);
    }

    static void writePng(Path file, int width, int height, int grid, Consumer<Graphics2D> paint) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(height / (double) grid, height / (double) grid);
        paint.accept(g);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    static void writeSvg(Path file, int width, int height, Consumer<Graphics2D> paint) throws IOException {
        Document doc = GenericDOMImplementation.getDOMImplementation().createDocument("http://www.w3.org/2000/svg", "svg", null);
        SVGGraphics2D g = new SVGGraphics2D(doc);
        g.setSVGCanvasSize(new Dimension(width, height));
        paint.accept(g);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            g.stream(w, false);
        }
        // Batik writes a fixed-size canvas; a viewBox lets the source scale to any size
        String svg = Files.readString(file).replaceFirst("<svg ", "<svg viewBox=\"0 0 " + width + " " + height + "\" ");
        Files.writeString(file, svg);
    }

    static void tile(Graphics2D g, Icon icon) {
        g.setColor(icon.tile());
        g.fill(new RoundRectangle2D.Double(3, 3, 58, 58, 18, 18));
        g.setColor(WHITE);
        icon.glyph().accept(g);
    }

    /** {@code t} of the way from the tile colour to white (0 = tile, 1 = white). */
    static Color tint(Color tile, double t) {
        return new Color((int) Math.round(tile.getRed() + (255 - tile.getRed()) * t),
                (int) Math.round(tile.getGreen() + (255 - tile.getGreen()) * t),
                (int) Math.round(tile.getBlue() + (255 - tile.getBlue()) * t));
    }

    static BasicStroke stroke(double w) {
        return new BasicStroke((float) w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    static Shape diamond(double cx, double cy, double halfWidth, double halfHeight) {
        Path2D.Double d = new Path2D.Double();
        d.moveTo(cx, cy - halfHeight);
        d.lineTo(cx + halfWidth, cy);
        d.lineTo(cx, cy + halfHeight);
        d.lineTo(cx - halfWidth, cy);
        d.closePath();
        return d;
    }

    /** The app mark: four layers of a network seen from above, the second one highlighted. */
    static void layers(Graphics2D g, Color tile) {
        Color[] fills = {WHITE, AMBER, tint(tile, 0.72), tint(tile, 0.5)};
        for (int i = 3; i >= 0; i--) {
            g.setColor(fills[i]);
            g.fill(diamond(32, 19 + i * 8.5, 21, 9.5));
        }
    }

    /** Probe & edit: three layers as slabs, the middle one (the located layer) solid, under a lens. */
    static void probe(Graphics2D g, Color tile) {
        Color pale = tint(tile, 0.55);
        g.setColor(pale);
        g.fill(new RoundRectangle2D.Double(11, 14, 30, 8, 4, 4));
        g.fill(new RoundRectangle2D.Double(11, 42, 30, 8, 4, 4));
        g.setColor(WHITE);
        g.fill(new RoundRectangle2D.Double(11, 28, 30, 8, 4, 4));
        // the lens, with a ring of tile colour so it reads on top of the slabs
        g.setColor(tile);
        g.setStroke(stroke(9));
        g.draw(new Ellipse2D.Double(33, 23, 16, 16));
        g.setColor(WHITE);
        g.setStroke(stroke(4.5));
        g.draw(new Ellipse2D.Double(33, 23, 16, 16));
        g.draw(new Line2D.Double(47, 37, 54, 44));
    }

    /** Flatness: a loss curve with a wide flat basin and the solution resting in it. */
    static void flatness(Graphics2D g) {
        g.setStroke(stroke(4.5));
        Path2D.Double c = new Path2D.Double();
        c.moveTo(11, 14);
        c.curveTo(15, 34, 18, 46, 26, 46);
        c.lineTo(38, 46);
        c.curveTo(46, 46, 49, 34, 53, 14);
        g.draw(c);
        g.fill(new Ellipse2D.Double(26.5, 32, 11, 11));
    }

    /** Rationales: a thought bubble of reasoning steps, checked. */
    static void rationale(Graphics2D g, Color tile) {
        Path2D.Double bubble = new Path2D.Double();
        bubble.append(new RoundRectangle2D.Double(9, 12, 42, 28, 14, 14), false);
        bubble.moveTo(16, 36);
        bubble.lineTo(14, 49);
        bubble.lineTo(27, 38);
        bubble.closePath();
        g.fill(bubble);
        g.setColor(tile);
        for (int i = 0; i < 3; i++) g.fill(new Ellipse2D.Double(18 + i * 10, 22.5, 7, 7));
        // the answer badge
        g.setColor(tile);
        g.fill(new Ellipse2D.Double(34, 34, 24, 24));
        g.setColor(WHITE);
        g.fill(new Ellipse2D.Double(37, 37, 18, 18));
        g.setColor(tile);
        g.setStroke(stroke(3.4));
        Path2D.Double check = new Path2D.Double();
        check.moveTo(41, 46);
        check.lineTo(44.5, 49.5);
        check.lineTo(51, 42.5);
        g.draw(check);
    }

    /** Prompt optimisation: a prompt, and a score that climbs step by step. */
    static void promptOpt(Graphics2D g) {
        g.setStroke(stroke(4.5));
        Path2D.Double chevron = new Path2D.Double();
        chevron.moveTo(13, 13);
        chevron.lineTo(20, 18.5);
        chevron.lineTo(13, 24);
        g.draw(chevron);
        g.draw(new Line2D.Double(26, 24, 36, 24));
        Path2D.Double climb = new Path2D.Double();
        climb.moveTo(13, 51);
        climb.lineTo(24, 42);
        climb.lineTo(32, 46);
        climb.lineTo(48, 31);
        g.draw(climb);
        Path2D.Double head = new Path2D.Double();
        head.moveTo(52, 27);
        head.lineTo(51, 38.5);
        head.lineTo(41, 28.5);
        head.closePath();
        g.fill(head);
        g.setStroke(stroke(2));
        g.draw(head);
    }

    /** Model selection: many candidates, a funnel, one model out. */
    static void modelSelect(Graphics2D g, Color tile) {
        Color pale = tint(tile, 0.55);
        g.setColor(pale);
        g.fill(new Ellipse2D.Double(14, 10, 7, 7));
        g.fill(new Ellipse2D.Double(43, 10, 7, 7));
        g.setColor(tint(tile, 0.75));
        g.fill(new Ellipse2D.Double(28.5, 10, 7, 7));
        g.setColor(WHITE);
        Path2D.Double f = new Path2D.Double();
        f.moveTo(11, 22);
        f.lineTo(53, 22);
        f.lineTo(37, 38);
        f.lineTo(37, 46);
        f.lineTo(27, 52);
        f.lineTo(27, 38);
        f.closePath();
        g.setStroke(stroke(2.5));
        g.fill(f);
        g.draw(f);
    }

    /** Model builder: components stacked into a model. */
    static void builder(Graphics2D g, Color tile) {
        g.setColor(tint(tile, 0.6));
        g.fill(new RoundRectangle2D.Double(12, 36, 18, 16, 5, 5));
        g.fill(new RoundRectangle2D.Double(34, 36, 18, 16, 5, 5));
        g.setColor(WHITE);
        g.fill(new RoundRectangle2D.Double(23, 14, 18, 18, 5, 5));
        g.setColor(tile);
        g.fill(new Ellipse2D.Double(29, 20, 6, 6));
    }

    /** Playground: a prompt chevron over a next-token distribution. */
    static void playground(Graphics2D g, Color tile) {
        g.setStroke(stroke(4.5));
        Path2D.Double chevron = new Path2D.Double();
        chevron.moveTo(14, 13);
        chevron.lineTo(21, 18.5);
        chevron.lineTo(14, 24);
        g.draw(chevron);
        g.draw(new Line2D.Double(27, 24, 38, 24));
        double[] heights = {19, 12, 8, 5};
        for (int i = 0; i < heights.length; i++) {
            g.setColor(i == 0 ? WHITE : tint(tile, 0.75 - i * 0.12));
            g.fill(new RoundRectangle2D.Double(13 + i * 10.0, 51 - heights[i], 8, heights[i], 3, 3));
        }
    }

    /** Runs: a list of recorded runs. */
    static void runs(Graphics2D g) {
        g.setStroke(stroke(4.5));
        for (int i = 0; i < 3; i++) {
            double y = 20 + i * 12;
            g.fill(new Ellipse2D.Double(13, y - 4, 8, 8));
            g.draw(new Line2D.Double(27, y, i == 1 ? 43 : 50, y));
        }
    }

    static void grid(Graphics2D g) {
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) g.fill(new RoundRectangle2D.Double(16 + c * 17, 16 + r * 17, 14, 14, 5, 5));
        }
    }

    static void warning(Graphics2D g) {
        g.setStroke(stroke(4.5));
        Path2D.Double t = new Path2D.Double();
        t.moveTo(32, 13);
        t.lineTo(52, 49);
        t.lineTo(12, 49);
        t.closePath();
        g.draw(t);
        g.draw(new Line2D.Double(32, 26, 32, 36));
        g.fill(new Ellipse2D.Double(29.3, 39.5, 5.4, 5.4));
    }

    static void wordmark(Graphics2D g) {
        tile(g, ICONS.get("layerwise"));
        g.setColor(new Color(0x1d2a44));
        g.setFont(new Font("DejaVu Sans", Font.BOLD, 30));
        g.drawString("Layerwise", 74, 43);
    }
}
