package org.layerwise.modelselect.method;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One model-selection run as a job: two-phase selection, plain successive halving and brute force on a target,
 * either by real fine-tuning of a local repository's checkpoints or by simulation over learning curves
 * (recorded ones, or curves synthesised from an imported matrix). On an imported matrix the target is one of
 * its benchmark data sets, held out (leave-one-out), or {@code all} for every one in turn. Writes the comparison
 * table (TSV) and the rounds (JSON) as artifacts and one trace event per halving round.
 */
public final class SelectionRun {
    public enum Mode { REAL, SIMULATE }

    public record Request(Path repository, String target, Mode mode, SelectionComparison.Settings settings,
                          FineTuning.Settings fineTuning, double noise, long seed, Path leepFile) {
        public Map<String, Object> parameters() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("repository", repository.toString());
            p.put("target", target);
            p.put("mode", mode.name().toLowerCase(Locale.ROOT));
            p.put("threshold", settings.threshold());
            p.put("recall", settings.recall());
            p.put("epochs", settings.maxEpochs());
            p.put("trend_k", settings.trendK());
            p.put("learning_rate", fineTuning.learningRate());
            p.put("batch_size", fineTuning.batchSize());
            p.put("noise", noise);
            p.put("seed", seed);
            if (leepFile != null) p.put("leep", leepFile.toString());
            return p;
        }
    }

    public record Output(List<SelectionComparison.Result> results, Path table) {}

    private SelectionRun() {}

    public static Job<Output> job(Request r) {
        return ctx -> run(r, ctx);
    }

    public static Output run(Request r, JobContext ctx) throws Exception {
        ModelRepository repo = ModelRepository.open(r.repository());
        List<SelectionComparison.Result> results = new ArrayList<>();
        if (r.mode() == Mode.REAL) {
            if (repo.isImported())
                throw new IllegalArgumentException(r.repository() + " is an imported matrix without checkpoints: use --mode simulate");
            results.add(real(repo, r, ctx));
        } else if (repo.isImported()) {
            PerformanceMatrix full = repo.matrix();
            LearningCurves curves = CurveSimulation.synthesise(full, r.settings().maxEpochs(), r.noise(), r.seed());
            List<String> targets = r.target().equals("all") ? full.datasets() : List.of(r.target());
            for (int i = 0; i < targets.size(); i++) {
                if (ctx != null) {
                    ctx.checkCancelled();
                    ctx.progress((double) i / targets.size(), "simulating selection for " + targets.get(i));
                }
                Map<String, Double> leep = r.leepFile() != null ? LeepScores.read(r.leepFile()) : repo.leep(targets.get(i));
                results.add(CurveSimulation.leaveOneOut(full, curves, targets.get(i), leep, r.settings()));
            }
        } else {
            results.add(simulateLocal(repo, r));
        }
        Path table = null;
        if (ctx != null) {
            Path tmp = Files.createTempFile("model-select", ".tsv");
            Files.writeString(tmp, table(results));
            table = ctx.artifact("comparison.tsv", tmp);
            Path json = Files.createTempFile("model-select", ".json");
            Files.writeString(json, rounds(results));
            ctx.artifact("rounds.json", json);
            for (SelectionComparison.Result res : results) {
                for (SelectionComparison.Row row : res.rows()) {
                    String key = row.strategy().replace(' ', '_');
                    ctx.metric("regret/" + key, results.indexOf(res), row.regret());
                    ctx.metric("epochs/" + key, results.indexOf(res), row.totalEpochs());
                }
                for (SuccessiveHalving.Round round : res.twoPhase().rounds())
                    ctx.trace("halving_round", new ObjectMapper().writeValueAsString(roundJson(res.target(), round)));
            }
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(json);
        }
        return new Output(results, table);
    }

    /** Real fine-tuning on a local repository; the target's brute-force curves are kept in results/ for later simulation. */
    static SelectionComparison.Result real(ModelRepository repo, Request r, JobContext ctx) throws Exception {
        PerformanceMatrix bench = requireMatrix(repo);
        LabelledData target = repo.data(r.target());
        Map<String, Double> leep = r.leepFile() != null ? LeepScores.read(r.leepFile()) : repo.leep(r.target());
        if (leep.isEmpty()) {
            if (ctx != null) ctx.log("computing LEEP of every model on " + r.target());
            leep = RepositoryBuild.leep(repo, r.target(), ctx);
        }
        Map<String, Path> models = new LinkedHashMap<>();
        for (String m : bench.models()) {
            Path p = repo.models().get(m);
            if (p == null) throw new IllegalArgumentException("The matrix names model '" + m + "' but " + repo.directory().resolve("models") + " has no such folder");
            models.put(m, p);
        }
        List<FineTuning> runners = new ArrayList<>();
        try {
            SelectionComparison.Result res = SelectionComparison.run(r.target(), bench, repo.curves(), leep, r.settings(), () -> {
                FineTuning ft = new FineTuning(models, target, r.fineTuning(), r.settings().maxEpochs(), ctx);
                runners.add(ft);
                return ft;
            }, () -> runners.get(runners.size() - 1).testAccuracies(), ctx);
            LearningCurves targetCurves = new LearningCurves();
            FineTuning brute = runners.get(runners.size() - 1);
            res.bruteForce().curves().forEach((m, c) -> targetCurves.put(m, r.target(),
                    c.stream().mapToDouble(Double::doubleValue).toArray(), brute.testAccuracy(m)));
            targetCurves.write(repo.directory().resolve("results/" + r.target() + "-curves.tsv"));
            return res;
        } finally {
            int replayed = runners.stream().mapToInt(FineTuning::replayedEpochs).sum();
            if (ctx != null && replayed > 0) ctx.log(replayed + " extra epochs were spent replaying models restarted after a NaN loss (not in the epoch counts)");
            runners.forEach(FineTuning::close);
        }
    }

    /** Simulation on a local repository: replays recorded curves (benchmarks/curves.tsv plus results/<target>-curves.tsv). */
    static SelectionComparison.Result simulateLocal(ModelRepository repo, Request r) throws Exception {
        PerformanceMatrix bench = requireMatrix(repo);
        LearningCurves curves = repo.curves() == null ? new LearningCurves() : repo.curves();
        Path recorded = repo.directory().resolve("results/" + r.target() + "-curves.tsv");
        if (Files.isRegularFile(recorded)) {
            LearningCurves t = LearningCurves.read(recorded);
            for (String m : t.models()) {
                LearningCurves.Curve c = t.get(m, r.target());
                curves.put(m, r.target(), c.validation(), c.finalTest());
            }
        }
        if (bench.datasets().contains(r.target())) bench = bench.withoutDataset(bench.datasetIndex(r.target()));
        for (String m : bench.models())
            if (!curves.has(m, r.target()))
                throw new IllegalArgumentException("No recorded curve of " + m + " on " + r.target() + ": run --mode real once (it records "
                        + recorded + ") or pick a benchmark data set as the target");
        Map<String, Double> truth = new LinkedHashMap<>();
        for (String m : bench.models()) truth.put(m, curves.get(m, r.target()).finalTest());
        Map<String, Double> leep = r.leepFile() != null ? LeepScores.read(r.leepFile()) : repo.leep(r.target());
        LearningCurves all = curves;
        return SelectionComparison.run(r.target(), bench, all, leep, r.settings(), () -> CurveSimulation.replay(all, r.target()), () -> truth, null);
    }

    private static PerformanceMatrix requireMatrix(ModelRepository repo) {
        if (repo.matrix() == null)
            throw new IllegalArgumentException(repo.directory() + " has no benchmarks/matrix.txt yet: run 'select-model build-repository' first");
        return repo.matrix();
    }

    public static String table(List<SelectionComparison.Result> results) {
        StringBuilder sb = new StringBuilder("target\tstrategy\tchosen\tchosen_accuracy\tbest\tbest_accuracy\tregret\tselection_epochs\ttotal_epochs\tseconds\n");
        for (SelectionComparison.Result res : results)
            for (SelectionComparison.Row row : res.rows())
                sb.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%.4f\t%s\t%.4f\t%.4f\t%d\t%d\t%.2f%n", res.target(), row.strategy(), row.chosen(),
                        row.chosenAccuracy(), res.best(), res.bestAccuracy(), row.regret(), row.selectionEpochs(), row.totalEpochs(), row.seconds()));
        return sb.toString();
    }

    static String rounds(List<SelectionComparison.Result> results) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ArrayNode out = om.createArrayNode();
        for (SelectionComparison.Result res : results) {
            ObjectNode t = out.addObject();
            t.put("target", res.target());
            t.putPOJO("recalled", res.recall().recalled());
            ArrayNode rounds = t.putArray("rounds");
            for (SuccessiveHalving.Round round : res.twoPhase().rounds()) rounds.add(roundJson(res.target(), round));
        }
        return om.writerWithDefaultPrettyPrinter().writeValueAsString(out);
    }

    static ObjectNode roundJson(String target, SuccessiveHalving.Round round) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("target", target);
        o.put("epoch", round.epoch());
        o.putPOJO("validation", round.validation());
        o.putPOJO("predicted", round.predicted());
        o.putPOJO("filtered", round.filtered());
        o.putPOJO("halved", round.halved());
        o.putPOJO("survivors", round.survivors());
        return o;
    }
}
