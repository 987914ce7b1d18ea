package org.layerwise.modelselect.method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** LEEP of each model on one target, read from or written to the paper's layout (a header of model names, one row of scores). */
public final class LeepScores {
    private LeepScores() {}

    public static Map<String, Double> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) throw new IOException(file + " needs two lines: model names, then their LEEP scores (tab-separated)");
        String[] names = lines.get(0).split("\t");
        String[] values = lines.get(1).split("\t");
        if (names.length != values.length)
            throw new IOException(file + " names " + names.length + " models but gives " + values.length + " scores");
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            try {
                out.put(names[i].strip(), Double.parseDouble(values[i].strip()));
            } catch (NumberFormatException e) {
                throw new IOException(file + " score " + (i + 1) + " ('" + values[i] + "') is not a number", e);
            }
        }
        return out;
    }

    public static void write(Path file, Map<String, Double> scores) throws IOException {
        StringBuilder names = new StringBuilder(), values = new StringBuilder();
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            if (!names.isEmpty()) { names.append('\t'); values.append('\t'); }
            names.append(e.getKey());
            values.append(String.format(Locale.ROOT, "%.6f", e.getValue()));
        }
        Files.writeString(file, names + "\n" + values + "\n");
    }
}
