package org.layerwise.builder.ui;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import org.layerwise.builder.method.ModelConfig;
import org.layerwise.builder.method.ParameterCounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The composed model drawn bottom-up as boxes: embedding, encoder, (target embedding, decoder), targets. */
public final class StackDiagram extends VBox {
    /** One box: its title, details and parameter count. */
    public record Box(String title, String detail, long parameters) {}

    public StackDiagram() {
        setAlignment(Pos.TOP_CENTER);
        setPadding(new Insets(12));
    }

    /** Redraws for a config (null counts: an invalid config, drawn without numbers). */
    public void show(ModelConfig c, ParameterCounts counts) {
        getChildren().clear();
        List<Box> boxes = boxes(c, counts);
        for (int i = boxes.size() - 1; i >= 0; i--) {        // inputs at the bottom, as papers draw it
            getChildren().add(box(boxes.get(i)));
            if (i > 0) getChildren().add(new Line(0, 0, 0, 14));
        }
    }

    /** The boxes, input first; public for tests. */
    public static List<Box> boxes(ModelConfig c, ParameterCounts counts) {
        List<Box> out = new ArrayList<>();
        try {
            String positions = c.text("rotary").equals("none") ? "" : ", rotary " + c.text("rotary");
            out.add(new Box("Embedding", String.join(" + ", c.list("embedding")) + positions, count(counts, "embedding")));
            String encoder = c.recurrent() ? c.text("encoder") + " × " + c.integer("layers_num") + " · hidden " + c.hidden()
                    : String.format(Locale.ROOT, "transformer × %d · d %d · %d heads · mask %s · %s-LN %s · ff %s %s%s",
                    c.integer("layers_num"), c.hidden(), c.heads(), c.text("mask"), c.text("layernorm_positioning"),
                    c.text("layernorm"), c.text("feed_forward"), c.text("hidden_act"), c.flag("parallel_residual") ? " · parallel" : "");
            String relative = !c.recurrent() && c.flag("relative_position") ? " · relative positions" : "";
            out.add(new Box("Encoder", encoder + relative, count(counts, "encoder")));
            if (c.decoderPresent()) {
                out.add(new Box("Target embedding", String.join(" + ", c.list("target_embedding")), count(counts, "target embedding")));
                out.add(new Box("Decoder", "transformer × " + c.integer("decoder_layers_num")
                        + " · causal self-attention + cross-attention" + relative, count(counts, "decoder")));
            }
            out.add(new Box("Target", String.join(" + ", c.list("target")), count(counts, "target")));
        } catch (IllegalArgumentException e) {
            out.add(new Box("Invalid config", e.getMessage(), -1));
        }
        return out;
    }

    private static long count(ParameterCounts counts, String component) {
        return counts == null ? -1 : counts.of(component);
    }

    private static StackPane box(Box b) {
        Rectangle r = new Rectangle(380, 54);
        r.setArcWidth(10);
        r.setArcHeight(10);
        r.setFill(Color.web("#eef3fb"));
        r.setStroke(Color.web("#4a6fa5"));
        String params = b.parameters() < 0 ? "" : String.format(Locale.ROOT, "  —  %,d parameters", b.parameters());
        Label title = new Label(b.title() + params);
        title.setStyle("-fx-font-weight: bold");
        Label detail = new Label(b.detail());
        detail.setWrapText(true);
        detail.setMaxWidth(360);
        VBox text = new VBox(2, title, detail);
        text.setAlignment(Pos.CENTER);
        return new StackPane(r, text);
    }
}
