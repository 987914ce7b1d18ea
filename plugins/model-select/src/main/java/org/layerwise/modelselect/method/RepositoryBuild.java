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
        // pairs already fine-tuned (an interrupted build) are kept in partial-curves.tsv and not redone
        Path partial = repo.directory().resolve("benchmarks/partial-curves.tsv");
        LearningCurves curves = Files.isRegularFile(partial) ? LearningCurves.read(partial) : new LearningCurves();
        double[][] acc = new double[benchmarks.size()][models.size()];
        int done = 0, total = models.size() * benchmarks.size();
        for (int d = 0; d < benchmarks.size(); d++) {
            LabelledData data = repo.data(benchmarks.get(d));
            for (int m = 0; m < models.size(); m++) {
                String name = models.get(m);
                done++;
                if (curves.has(name, data.name()) && curves.get(name, data.name()).epochs() == epochs) {
                    acc[d][m] = curves.get(name, data.name()).finalTest();
                    continue;
                }
                if (ctx != null) ctx.progress((double) done / total, "fine-tuning " + name + " on " + data.name());
                double[] val = null;
                FineTuning.Settings s = settings;
                for (int attempt = 0; val == null; attempt++) {
                    try (FineTuning ft = new FineTuning(Map.of(name, repo.models().get(name)), data, s, epochs, ctx)) {
                        double[] v = new double[epochs];
                        for (int e = 0; e < epochs; e++) v[e] = ft.nextEpoch(name);
                        acc[d][m] = ft.testAccuracy(name);
                        val = v;
                    } catch (FineTuning.DivergedException ex) {
                        if (attempt == 2) throw ex;
                        s = new FineTuning.Settings(s.learningRate() / 2, s.batchSize(), s.weightDecay(), s.seed());
                        if (ctx != null) ctx.log(ex.getMessage() + "; retrying with learning rate " + s.learningRate());
                    }
                }
                curves.put(name, data.name(), val, acc[d][m]);
                curves.write(partial);
                if (ctx != null) {
                    ctx.metric("test_acc/" + data.name() + "/" + name, epochs, acc[d][m]);
                    ctx.log(String.format(Locale.ROOT, "%s on %s: validation %s, test %.3f", name, data.name(),
                            java.util.Arrays.toString(val), acc[d][m]));
                }
            }
        }
        PerformanceMatrix matrix = new PerformanceMatrix(models, benchmarks, acc);
        matrix.write(repo.directory().resolve("benchmarks"));
        curves.write(repo.directory().resolve("benchmarks/curves.tsv"));
        Files.deleteIfExists(partial);
        return matrix;
    }

    /** Every benchmark's label words: the source label space of LEEP for language models. */
    public static List<String> sourceWords(ModelRepository repo) throws java.io.IOException {
        java.util.TreeSet<String> words = new java.util.TreeSet<>();
        for (String b : repo.benchmarkNames()) words.addAll(repo.data(b).labels());
        return List.copyOf(words);
    }

    /** LEEP of every model on {@code target} over the benchmarks' label words, written to leep/<target>.txt. */
    public static Map<String, Double> leep(ModelRepository repo, String target, JobContext ctx) throws Exception {
        LabelledData data = repo.data(target);
        List<String> source = sourceWords(repo);
        if (ctx != null) ctx.log("LEEP on " + target + " over " + source.size() + " source label words " + source);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : repo.models().entrySet()) {
            if (ctx != null) ctx.checkCancelled();
            out.put(e.getKey(), FineTuning.leep(e.getValue(), data, source));
        }
        Files.createDirectories(repo.directory().resolve("leep"));
        LeepScores.write(repo.directory().resolve("leep/" + target + ".txt"), out);
        return out;
    }
}
