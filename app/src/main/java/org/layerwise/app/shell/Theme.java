package org.layerwise.app.shell;

import javafx.scene.Parent;
import javafx.scene.Scene;

import java.util.List;
import java.util.Objects;

/** Light and dark look. Both share base.css (layout, spacing, type); the theme sheet sets the colours. */
public enum Theme {
    LIGHT("light.css"), DARK("dark.css");

    private final String sheet;

    Theme(String sheet) {
        this.sheet = sheet;
    }

    public List<String> stylesheets() {
        return List.of(url("base.css"), url(sheet));
    }

    public void applyTo(Scene scene) {
        scene.getStylesheets().setAll(stylesheets());
    }

    /** For dialogs, whose panes live in their own scene. */
    public void applyTo(Parent root) {
        root.getStylesheets().setAll(stylesheets());
    }

    public static Theme parse(String name) {
        for (Theme t : values()) if (t.name().equalsIgnoreCase(name)) return t;
        return LIGHT;
    }

    private static String url(String name) {
        return Objects.requireNonNull(Theme.class.getResource(name), name).toExternalForm();
    }
}
