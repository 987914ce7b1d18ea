package org.layerwise.modelselect.method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A catalogue of candidate models with what is known about them. Two layouts:
 * <ul>
 *   <li>local: {@code models/<name>/} (checkpoint folders), {@code data/<name>.tsv} (benchmarks; names starting
 *       {@code target-} are targets), {@code benchmarks/matrix.txt + datasets.txt + curves.tsv} (made by fine-tuning),
 *       {@code leep/<target>.txt};</li>
 *   <li>imported (the paper's): {@code matrix.txt}, {@code datasets.txt} and {@code leep_score_*.txt} in the folder itself;
 *       no checkpoints and no curves, so only simulation runs on it.</li>
 * </ul>
 */
public final class ModelRepository {
    public static final String TARGET_PREFIX = "target-";

    private final Path dir;
    private final boolean imported;
    private final Map<String, Path> models = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Path> data = new TreeMap<>();
    private PerformanceMatrix matrix;
    private LearningCurves curves;

    private ModelRepository(Path dir, boolean imported) {
        this.dir = dir;
        this.imported = imported;
    }

    public static ModelRepository open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("Repository " + dir + " is not a folder");
        if (Files.isRegularFile(dir.resolve("matrix.txt"))) {
            ModelRepository r = new ModelRepository(dir, true);
            r.matrix = PerformanceMatrix.read(dir.resolve("matrix.txt"), dir.resolve("datasets.txt"));
            return r;
        }
        ModelRepository r = new ModelRepository(dir, false);
        if (Files.isDirectory(dir.resolve("models"))) {
            try (Stream<Path> s = Files.list(dir.resolve("models"))) {
                s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).forEach(p -> r.models.put(p.getFileName().toString(), p));
            }
        }
        if (Files.isDirectory(dir.resolve("data"))) {
            try (Stream<Path> s = Files.list(dir.resolve("data"))) {
                s.filter(p -> p.getFileName().toString().endsWith(".tsv"))
                        .forEach(p -> r.data.put(p.getFileName().toString().replaceFirst("\\.tsv$", ""), p));
            }
        }
        Path m = dir.resolve("benchmarks/matrix.txt");
        if (Files.isRegularFile(m)) r.matrix = PerformanceMatrix.read(m, dir.resolve("benchmarks/datasets.txt"));
        Path c = dir.resolve("benchmarks/curves.tsv");
        if (Files.isRegularFile(c)) r.curves = LearningCurves.read(c);
        if (r.models.isEmpty() && r.matrix == null)
            throw new IOException(dir + " holds neither models/<name>/config.json nor a matrix.txt: not a model repository");
        return r;
    }

    public Path directory() { return dir; }

    /** True for an imported matrix without checkpoints (the paper's). */
    public boolean isImported() { return imported; }

    public Map<String, Path> models() { return models; }

    public List<String> benchmarkNames() {
        return data.keySet().stream().filter(n -> !n.startsWith(TARGET_PREFIX)).toList();
    }

    public List<String> targetNames() {
        return data.keySet().stream().filter(n -> n.startsWith(TARGET_PREFIX)).toList();
    }

    public LabelledData data(String name) throws IOException {
        Path p = data.get(name);
        if (p == null) throw new IOException("No data set '" + name + "' in " + dir.resolve("data") + "; it has " + data.keySet());
        return LabelledData.read(p);
    }

    /** The benchmark matrix, or null when it was not built yet (see {@link RepositoryBuild}). */
    public PerformanceMatrix matrix() { return matrix; }

    /** Recorded benchmark learning curves, or null. */
    public LearningCurves curves() { return curves; }

    /** LEEP per model on {@code target}: {@code leep/<target>.txt}, or for an imported repository any leep_score_*<target>*.txt. */
    public Map<String, Double> leep(String target) throws IOException {
        Path p = imported ? findImportedLeep(target) : dir.resolve("leep/" + target + ".txt");
        return p != null && Files.isRegularFile(p) ? LeepScores.read(p) : new LinkedHashMap<>();
    }

    private Path findImportedLeep(String target) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith("leep_score_")).toList());
            return all.stream().filter(p -> p.getFileName().toString().contains(target)).findFirst().orElse(null);
        }
    }

    /** Copies the paper's files (matrix.txt, datasets.txt, leep_score_*.txt) from {@code from} into {@code to}, checking they parse. */
    public static PerformanceMatrix importPaper(Path from, Path to) throws IOException {
        PerformanceMatrix p = PerformanceMatrix.read(from.resolve("matrix.txt"), from.resolve("datasets.txt"));
        Files.createDirectories(to);
        Files.copy(from.resolve("matrix.txt"), to.resolve("matrix.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (Files.isRegularFile(from.resolve("datasets.txt")))
            Files.copy(from.resolve("datasets.txt"), to.resolve("datasets.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> s = Files.list(from)) {
            for (Path l : s.filter(x -> x.getFileName().toString().startsWith("leep_score_")).toList()) {
                LeepScores.read(l);
                Files.copy(l, to.resolve(l.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return p;
    }
}
