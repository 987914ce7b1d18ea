package org.layerwise.modelselect.method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy of every candidate model on every benchmark data set, as in the paper's {@code matrix.txt}:
 * {@code accuracy[d][m]} for data set d and model m. A value ≤ 0 means "no usable result" and is left out
 * of distances and means.
 */
public record PerformanceMatrix(List<String> models, List<String> datasets, double[][] accuracy) {
    public PerformanceMatrix {
        models = List.copyOf(models);
        datasets = List.copyOf(datasets);
        if (accuracy.length != datasets.size())
            throw new IllegalArgumentException("The matrix has " + accuracy.length + " rows but " + datasets.size() + " data sets");
        for (int d = 0; d < accuracy.length; d++)
            if (accuracy[d].length != models.size())
                throw new IllegalArgumentException("Row " + (d + 1) + " (" + datasets.get(d) + ") has " + accuracy[d].length
                        + " values but there are " + models.size() + " models");
    }

    /** Reads the paper's layout: {@code matrix.txt} (header of model names, one TSV row per data set) and {@code datasets.txt}. */
    public static PerformanceMatrix read(Path matrixTsv, Path datasetsTxt) throws IOException {
        List<String> lines = Files.readAllLines(matrixTsv).stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw new IOException(matrixTsv + " is empty; expected a header of model names then one row per data set");
        List<String> models = Arrays.stream(lines.get(0).split("\t")).map(String::strip).toList();
        List<String> datasets = datasetsTxt != null && Files.isRegularFile(datasetsTxt)
                ? Files.readAllLines(datasetsTxt).stream().map(String::strip).filter(s -> !s.isEmpty()).toList()
                : new ArrayList<>();
        int rows = lines.size() - 1;
        if (datasets.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (int d = 0; d < rows; d++) names.add("dataset" + (d + 1));
            datasets = names;
        }
        if (datasets.size() != rows)
            throw new IOException(matrixTsv + " has " + rows + " data set rows but " + datasetsTxt + " names " + datasets.size());
        double[][] acc = new double[rows][];
        for (int d = 0; d < rows; d++) {
            String[] cells = lines.get(d + 1).split("\t");
            if (cells.length != models.size())
                throw new IOException(matrixTsv + " line " + (d + 2) + " has " + cells.length + " values but the header names "
                        + models.size() + " models");
            acc[d] = new double[cells.length];
            for (int m = 0; m < cells.length; m++) {
                try {
                    acc[d][m] = Double.parseDouble(cells[m].strip());
                } catch (NumberFormatException e) {
                    throw new IOException(matrixTsv + " line " + (d + 2) + " column " + (m + 1) + ": '" + cells[m] + "' is not a number", e);
                }
            }
        }
        return new PerformanceMatrix(models, datasets, acc);
    }

    /** Writes the same layout back ({@code matrix.txt} and {@code datasets.txt} in {@code dir}). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder(String.join("\t", models)).append('\n');
        for (double[] row : accuracy) {
            for (int m = 0; m < row.length; m++) sb.append(m == 0 ? "" : "\t").append(String.format(Locale.ROOT, "%.6f", row[m]));
            sb.append('\n');
        }
        Files.writeString(dir.resolve("matrix.txt"), sb);
        Files.writeString(dir.resolve("datasets.txt"), String.join("\n", datasets) + "\n");
    }

    public int modelCount() { return models.size(); }

    public int datasetCount() { return datasets.size(); }

    public double at(int dataset, int model) { return accuracy[dataset][model]; }

    /** Model m's accuracies over the data sets (its column). */
    public double[] column(int model) {
        double[] c = new double[accuracy.length];
        for (int d = 0; d < c.length; d++) c[d] = accuracy[d][model];
        return c;
    }

    /** Mean accuracy over the data sets with a usable (> 0) result; 0 when none. */
    public double meanAccuracy(int model) {
        double sum = 0;
        int n = 0;
        for (double[] row : accuracy) {
            if (row[model] > 0) { sum += row[model]; n++; }
        }
        return n == 0 ? 0 : sum / n;
    }

    public int modelIndex(String name) {
        int i = models.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("No model '" + name + "' in the matrix");
        return i;
    }

    public int datasetIndex(String name) {
        int i = datasets.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("No data set '" + name + "' in the matrix; it has " + datasets);
        return i;
    }

    /** The matrix without one data set (the held-out target of a leave-one-out simulation). */
    public PerformanceMatrix withoutDataset(int dataset) {
        List<String> names = new ArrayList<>(datasets);
        names.remove(dataset);
        double[][] rows = new double[accuracy.length - 1][];
        for (int d = 0, k = 0; d < accuracy.length; d++) if (d != dataset) rows[k++] = accuracy[d].clone();
        return new PerformanceMatrix(models, names, rows);
    }

    /** Only the given models (columns), in that order. */
    public PerformanceMatrix withModels(int[] keep) {
        List<String> names = new ArrayList<>();
        for (int k : keep) names.add(models.get(k));
        double[][] rows = new double[accuracy.length][keep.length];
        for (int d = 0; d < accuracy.length; d++)
            for (int j = 0; j < keep.length; j++) rows[d][j] = accuracy[d][keep[j]];
        return new PerformanceMatrix(names, datasets, rows);
    }
}
