package org.layerwise.app.shell;

import javafx.scene.image.Image;
import javafx.scene.image.ImageView;

import java.net.URL;
import java.util.Objects;

/** The shell's PNG icons (drawn by icons/LayerwiseIcons.java; icons/render.sh copies them here) under resources/org/layerwise/app/icons. */
public final class Icons {
    private Icons() {}

    public static URL url(String name) {
        return Objects.requireNonNull(Icons.class.getResource("/org/layerwise/app/icons/" + name + ".png"), name);
    }

    /** A smooth-scaled view of an icon at {@code size} px. */
    public static ImageView view(URL url, double size) {
        Image image = new Image(url.toExternalForm(), size * 2, size * 2, true, true, false);
        ImageView v = new ImageView(image);
        v.setFitWidth(size);
        v.setFitHeight(size);
        v.setPreserveRatio(true);
        v.setSmooth(true);
        return v;
    }

    /** The app mark at every size the window system may pick from (title bar, task bar, switcher). */
    public static java.util.List<Image> appIcons() {
        return java.util.stream.IntStream.of(16, 24, 32, 48, 64, 128, 256)
                .mapToObj(s -> image("layerwise-" + s)).toList();
    }

    public static Image image(String name) {
        return new Image(url(name).toExternalForm());
    }
}
