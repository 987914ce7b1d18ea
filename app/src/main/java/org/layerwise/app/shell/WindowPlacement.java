package org.layerwise.app.shell;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.prefs.Preferences;

/** Remembers the main window's size, position and maximised state between sessions. */
public final class WindowPlacement {
    static final double DEFAULT_WIDTH = 1440;
    static final double DEFAULT_HEIGHT = 900;

    private final Preferences prefs;

    public WindowPlacement(Preferences prefs) {
        this.prefs = prefs.node("window");
    }

    public void restore(Stage stage) {
        double w = prefs.getDouble("width", DEFAULT_WIDTH);
        double h = prefs.getDouble("height", DEFAULT_HEIGHT);
        double x = prefs.getDouble("x", Double.NaN);
        double y = prefs.getDouble("y", Double.NaN);
        Rectangle2D visual = Screen.getPrimary().getVisualBounds();
        w = Math.max(800, Math.min(w, visual.getWidth()));
        h = Math.max(560, Math.min(h, visual.getHeight()));
        stage.setWidth(w);
        stage.setHeight(h);
        // a window saved on a monitor that is gone would open off screen: centre it instead
        if (!Double.isNaN(x) && !Double.isNaN(y) && !Screen.getScreensForRectangle(x, y, w, h).isEmpty()) {
            stage.setX(x);
            stage.setY(y);
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(prefs.getBoolean("maximized", false));
    }

    public void save(Stage stage) {
        prefs.putBoolean("maximized", stage.isMaximized());
        if (!stage.isMaximized() && !stage.isIconified()) {
            prefs.putDouble("x", stage.getX());
            prefs.putDouble("y", stage.getY());
            prefs.putDouble("width", stage.getWidth());
            prefs.putDouble("height", stage.getHeight());
        }
    }
}
