package org.layerwise.flatness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** A tiny vector task sequence in the documented JSONL format: Gaussian blobs in 6 dimensions, 2 classes per task. */
public final class Blobs {
    private Blobs() {}

    public static Path write(Path dir, int tasks, int perClass) throws IOException {
        Random r = new Random(1);
        StringBuilder seq = new StringBuilder("{\"name\": \"blobs\", \"format\": \"jsonl\", \"validation_fraction\": 0.2, \"tasks\": [");
        for (int t = 0; t < tasks; t++) {
            double[][] centres = new double[2][6];
            for (double[] c : centres) for (int k = 0; k < 6; k++) c[k] = 2 * r.nextGaussian();
            for (String split : List.of("train", "test")) {
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < perClass; i++)
                    for (int c = 0; c < 2; c++) {
                        StringBuilder x = new StringBuilder();
                        for (int k = 0; k < 6; k++) x.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", centres[c][k] + 0.5 * r.nextGaussian()));
                        lines.add("{\"x\": [" + x + "], \"label\": \"" + (c == 0 ? "a" : "b") + t + "\"}");
                    }
                Files.write(dir.resolve("t" + t + "-" + split + ".jsonl"), lines);
            }
            seq.append(t == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"name\": \"t%d\", \"labels\": [\"a%d\", \"b%d\"], \"train\": \"t%d-train.jsonl\", \"test\": \"t%d-test.jsonl\"}", t, t, t, t, t));
        }
        seq.append("], \"training\": {\"lr\": 0.01, \"epochs\": 2, \"batch_size\": 8, \"hidden\": \"16\", \"fisher_samples\": 16}}");
        Path file = dir.resolve("blobs.json");
        Files.writeString(file, seq);
        return file;
    }
}
