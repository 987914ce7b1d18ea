package org.layerwise.bench;

import org.layerwise.engine.checkpoint.Checkpoint;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Files;
import java.nio.file.Path;

/** Child JVM of {@link EngineBenchmark}: loads one model folder and prints load time and peak RSS as JSON. */
public final class LoadProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long fileBytes = 0;
        try (Checkpoint ck = Checkpoint.open(dir)) {
            for (Path f : ck.weightFiles()) fileBytes += Files.size(f);
        }
        long t0 = System.nanoTime();
        try (TransformerModel model = TransformerModel.load(dir, LoadOptions.of("cpu", "keep"))) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) hwm = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
            System.out.printf("{\"load_seconds\": %.2f, \"peak_rss\": %d, \"file_bytes\": %d, \"parameters\": %d, \"dtype\": \"%s\"}%n",
                    seconds, hwm, fileBytes, model.parameterCount(), model.dtype());
        }
    }

    private LoadProbe() {
    }
}
