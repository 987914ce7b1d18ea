package org.layerwise.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM of {@link EngineBenchmark}: 1,000 forwards after a warm-up, RSS sampled every 100. Started with a
 * fixed, pre-touched heap (-Xms = -Xmx, -XX:+AlwaysPreTouch) so that RSS changes are native memory, not heap growth.
 */
public final class MemoryProbe {
    public static void main(String[] args) throws Exception {
        int seq = 32;
        try (TransformerModel model = TransformerModel.load(Path.of(args[0]), LoadOptions.of("cpu", "float32"));
             GradMode off = GradMode.off(); NDManager base = NDManager.newBaseManager()) {
            NDArray input = base.create(new long[seq], new Shape(1, seq));
            List<Long> samples = new ArrayList<>();
            for (int i = 0; i <= 1050; i++) {
                if (i >= 50 && (i - 50) % 100 == 0) samples.add(EngineBenchmark.rssBytes());
                if (i == 1050) break;
                try (NDManager step = base.newSubManager()) {
                    model.forward(step, input, null, Taps.none());
                }
            }
            StringBuilder json = new StringBuilder("{\"rss\": [");
            for (int i = 0; i < samples.size(); i++) json.append(i == 0 ? "" : ", ").append(samples.get(i));
            System.out.println(json.append("]}"));
        }
    }

    private MemoryProbe() {
    }
}
