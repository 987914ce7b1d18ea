package org.layerwise.app.runs;

import javafx.scene.control.Label;
import org.layerwise.engine.runs.RunStatus;

import java.util.Locale;

/** A small coloured label for a run's status (colours in the theme's .state-* classes). */
final class RunStatusPill {
    private RunStatusPill() {}

    static Label of(RunStatus status) {
        Label l = new Label();
        l.getStyleClass().add("state-pill");
        set(l, status);
        return l;
    }

    static void set(Label l, RunStatus status) {
        l.getStyleClass().removeIf(c -> c.startsWith("state-") && !c.equals("state-pill"));
        if (status == null) {
            l.setText("");
            return;
        }
        String name = status.name().toLowerCase(Locale.ROOT);
        l.setText(name);
        l.getStyleClass().add("state-" + name);
    }
}
