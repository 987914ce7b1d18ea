package org.layerwise.modelselect.method;

import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fills a local repository: copies trained model folders into {@code models/} as float16, fine-tunes every
 * model on every benchmark data set for {@code epochs} epochs (recording validation accuracy per epoch and the
 * final test accuracy: the performance matrix and the learning curves), and computes LEEP of every model on every
 * target. Each model × data set pair is reported as a metric of the job's run.
 */
public final class RepositoryBuild {
    private RepositoryBuild() {}

    public static void copyAsHalf(Path rawModels, Path repository, JobContext ctx) throws Exception {
        try (Stream<Path> s = Files.list(rawModels)) {
            for (Path p : s.filter(x -> Files.isRegularFile(x.resolve("config.json"))).sorted().toList()) {
                Path out = repository.resolve("models").resolve(p.getFileName());
                if (Files.isRegularFile(out.resolve("config.json"))) continue;
                if (ctx != null) ctx.log("float16 copy of " + p.getFileName());
                try (TransformerModel m = TransformerModel.load(p, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT16))) {
                    m.save(out);
                }
                for (String extra : List.of("layerwise-builder.json"))
                    if (Files.isRegularFile(p.resolve(extra))) Files.copy(p.resolve(extra), out.resolve(extra), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Fine-tunes every model on every benchmark; writes benchmarks/matrix.txt, datasets.txt and curves.tsv. */
    public static PerformanceMatrix benchmark(ModelRepository repo, int epochs, FineTuning.Settings settings, JobContext ctx) throws Exception {
        List<String> models = new ArrayList<>(repo.models().keySet());
        List<String> benchmarks = repo.benchmarkNames();
        LearningCurves curves = new LearningCurves();
        double[][] acc = new double[benchmarks.size()][models.size()];
        int done = 0, total = models.size() * benchmarks.size();
        for (int d = 0; d < benchmarks.size(); d++) {
            LabelledData data = repo.data(benchmarks.get(d));
            for (int m = 0; m < models.size(); m++) {
                String name = models.get(m);
                if (ctx != null) ctx.progress((double) done / total, "fine-tuning " + name + " on " + data.name());
                double[] val = new double[epochs];
                try (FineTuning ft = new FineTuning(Map.of(name, repo.models().get(name)), data, settings, epochs, ctx)) {
                    for (int e = 0; e < epochs; e++) val[e] = ft.nextEpoch(name);
                    acc[d][m] = ft.testAccuracy(name);
                }
                curves.put(name, data.name(), val, acc[d][m]);
                if (ctx != null) {
                    ctx.metric("test_acc/" + data.name() + "/" + name, epochs, acc[d][m]);
                    ctx.log(String.format(Locale.ROOT, "%s on %s: validation %s, test %.3f", name, data.name(),
                            java.util.Arrays.toString(val), acc[d][m]));
                }
                done++;
            }
        }
        PerformanceMatrix matrix = new PerformanceMatrix(models, benchmarks, acc);
        matrix.write(repo.directory().resolve("benchmarks"));
        curves.write(repo.directory().resolve("benchmarks/curves.tsv"));
        return matrix;
    }

    /** LEEP of every model on {@code target}, written to leep/<target>.txt. */
    public static Map<String, Double> leep(ModelRepository repo, String target, JobContext ctx) throws Exception {
        LabelledData data = repo.data(target);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : repo.models().entrySet()) {
            if (ctx != null) ctx.checkCancelled();
            out.put(e.getKey(), FineTuning.leep(e.getValue(), data));
        }
        Files.createDirectories(repo.directory().resolve("leep"));
        LeepScores.write(repo.directory().resolve("leep/" + target + ".txt"), out);
        return out;
    }
}
