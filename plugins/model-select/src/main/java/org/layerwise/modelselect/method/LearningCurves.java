package org.layerwise.modelselect.method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fine-tuning records per model and data set: validation accuracy after each epoch and the final test
 * accuracy. Stored as TSV rows {@code model, dataset, final_test, val_epoch1 … val_epochE}.
 */
public final class LearningCurves {
    public record Curve(double[] validation, double finalTest) {
        public int epochs() { return validation.length; }
    }

    private final Map<String, Map<String, Curve>> curves = new LinkedHashMap<>();

    public void put(String model, String dataset, double[] validation, double finalTest) {
        curves.computeIfAbsent(model, k -> new LinkedHashMap<>()).put(dataset, new Curve(validation.clone(), finalTest));
    }

    public Curve get(String model, String dataset) {
        Map<String, Curve> byData = curves.get(model);
        Curve c = byData == null ? null : byData.get(dataset);
        if (c == null) throw new IllegalArgumentException("No learning curve for model '" + model + "' on data set '" + dataset + "'");
        return c;
    }

    public boolean has(String model, String dataset) {
        Map<String, Curve> byData = curves.get(model);
        return byData != null && byData.containsKey(dataset);
    }

    public Set<String> models() { return curves.keySet(); }

    public Set<String> datasets() {
        Set<String> out = new TreeSet<>();
        curves.values().forEach(m -> out.addAll(m.keySet()));
        return out;
    }

    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("model\tdataset\tfinal_test\tvalidation_per_epoch\n");
        curves.forEach((model, byData) -> byData.forEach((data, c) -> {
            sb.append(model).append('\t').append(data).append('\t').append(String.format(Locale.ROOT, "%.6f", c.finalTest()));
            for (double v : c.validation()) sb.append('\t').append(String.format(Locale.ROOT, "%.6f", v));
            sb.append('\n');
        }));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb);
    }

    public static LearningCurves read(Path file) throws IOException {
        LearningCurves out = new LearningCurves();
        List<String> lines = Files.readAllLines(file);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split("\t");
            if (f.length < 4) throw new IOException(file + " line " + (i + 1) + ": expected model, dataset, final_test and ≥ 1 epoch");
            double[] v = new double[f.length - 3];
            try {
                for (int e = 0; e < v.length; e++) v[e] = Double.parseDouble(f[e + 3]);
                out.put(f[0], f[1], v, Double.parseDouble(f[2]));
            } catch (NumberFormatException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
