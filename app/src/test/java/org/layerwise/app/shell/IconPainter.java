package org.layerwise.app.shell;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Draws the shell's and the playground's PNG icons with Java2D (a build-time tool, not a test): a
 * rounded square in the workspace's colour with a white glyph, on a 64 px grid (256 px for the app).
 * Run from the repository root:
 * {@code java -cp app/target/test-classes org.layerwise.app.shell.IconPainter}
 */
public final class IconPainter {
    private static final Color WHITE = Color.WHITE;

    public static void main(String[] args) throws IOException {
        Path app = Path.of("app/src/main/resources/org/layerwise/app/icons");
        Path playground = Path.of("plugins/playground/src/main/resources/org/layerwise/playground");
        Files.createDirectories(app);
        Files.createDirectories(playground);
        write(app.resolve("layerwise.png"), 256, 0x2f5fcc, 0x5b8cf0, IconPainter::layers);
        write(app.resolve("workspace.png"), 64, 0x5d6b80, 0x8190a6, IconPainter::grid);
        write(app.resolve("runs.png"), 64, 0xd9731a, 0xf0a24a, IconPainter::runs);
        write(app.resolve("broken.png"), 64, 0xc0392b, 0xe5675a, IconPainter::warning);
        write(playground.resolve("playground.png"), 64, 0x6a4fc9, 0x9a7ff0, IconPainter::playground);
    }

    private static void write(Path file, int size, int from, int to, Consumer<Graphics2D> glyph) throws IOException {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(size / 64.0, size / 64.0);
        g.setPaint(new GradientPaint(0, 4, new Color(to), 0, 60, new Color(from)));
        g.fill(new RoundRectangle2D.Double(3, 3, 58, 58, 16, 16));
        g.setColor(WHITE);
        glyph.accept(g);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** Three stacked layers seen from above: the app's mark. */
    private static void layers(Graphics2D g) {
        for (int i = 2; i >= 0; i--) {
            double y = 18 + i * 9;
            Path2D.Double d = new Path2D.Double();
            d.moveTo(32, y);
            d.lineTo(50, y + 8);
            d.lineTo(32, y + 16);
            d.lineTo(14, y + 8);
            d.closePath();
            g.setColor(new Color(255, 255, 255, i == 0 ? 255 : i == 1 ? 190 : 125));
            g.fill(d);
        }
    }

    private static void grid(Graphics2D g) {
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                g.fill(new RoundRectangle2D.Double(17 + c * 16, 17 + r * 16, 13, 13, 5, 5));
            }
        }
    }

    /** A list of recorded runs: dots and lines. */
    private static void runs(Graphics2D g) {
        g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i = 0; i < 3; i++) {
            double y = 21 + i * 11;
            g.fill(new Ellipse2D.Double(15, y - 3.5, 7, 7));
            g.drawLine(28, (int) y, i == 1 ? 42 : 49, (int) y);
        }
    }

    private static void warning(Graphics2D g) {
        g.setStroke(new BasicStroke(4.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double t = new Path2D.Double();
        t.moveTo(32, 14);
        t.lineTo(51, 48);
        t.lineTo(13, 48);
        t.closePath();
        g.draw(t);
        g.setStroke(new BasicStroke(4.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(32, 26, 32, 36);
        g.fill(new Ellipse2D.Double(29.5, 39.5, 5, 5));
    }

    /** A prompt chevron over a next-token distribution. */
    private static void playground(Graphics2D g) {
        g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double chevron = new Path2D.Double();
        chevron.moveTo(16, 14);
        chevron.lineTo(23, 19.5);
        chevron.lineTo(16, 25);
        g.draw(chevron);
        g.drawLine(28, 25, 38, 25);
        double[] heights = {17, 11, 7, 4};
        for (int i = 0; i < heights.length; i++) {
            g.setColor(new Color(255, 255, 255, 255 - i * 45));
            g.fill(new RoundRectangle2D.Double(15 + i * 9.0, 49 - heights[i], 7, heights[i], 3, 3));
        }
    }
}
