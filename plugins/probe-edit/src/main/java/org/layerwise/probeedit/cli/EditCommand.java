package org.layerwise.probeedit.cli;

import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.probeedit.method.covariance.CovarianceStats;
import org.layerwise.probeedit.method.edit.EditHparams;
import org.layerwise.probeedit.method.edit.EditListener;
import org.layerwise.probeedit.method.edit.EditMethod;
import org.layerwise.probeedit.method.edit.EditRequest;
import org.layerwise.probeedit.method.edit.EditSession;
import org.layerwise.probeedit.method.edit.Editor;
import org.layerwise.probeedit.method.eval.EvalRecord;
import org.layerwise.sdk.cli.CliSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code layerwise edit}: applies CounterFact/zsRE requests with ROME, MEMIT, PMET or JEEP and saves the edited model. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Edit facts in a model (ROME, MEMIT, PMET, JEEP) and save it as a new checkpoint folder with edit_log.json.")
public final class EditCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "jeep|memit|pmet|rome") String method;
    @Option(names = "--requests", required = true, paramLabel = "FILE.json", description = "CounterFact or zsRE records (JSON array).") Path requests;
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the edited model folder is written.") Path out;
    @Option(names = "--preset", paramLabel = "NAME", description = "Hyper-parameter preset (default: <method>-facts-llama for the sample fact models, else the GPT-J or LLaMA-7B one).") String preset;
    @Option(names = "--hparams", paramLabel = "FILE.json", description = "Hyper-parameters from a file instead of a preset.") Path hparams;
    @Option(names = "--set", paramLabel = "KEY=JSON", description = "Override one hyper-parameter, e.g. --set layers=[1,2].") List<String> overrides = new ArrayList<>();
    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Edit only the first N records (0: all).") int limit;
    @Option(names = "--sequential", description = "One edit per request, in order, instead of one batch.") boolean sequential;
    @Option(names = "--corpus", paramLabel = "FILE.txt", defaultValue = "sample-data/world/train.txt", description = "Text for the key statistics E[kkᵀ] (default: ${DEFAULT-VALUE}).") Path corpus;
    @Option(names = "--corpus-lines", defaultValue = "100000") int corpusLines;
    @Mixin CliSupport cli;

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, this::run);
    }

    private Integer run() throws Exception {
        PrintWriter err = spec.commandLine().getErr(), outW = spec.commandLine().getOut();
        EditMethod m = EditMethod.parse(method);
        List<EditRequest> reqs = new ArrayList<>();
        for (EvalRecord r : readable(requests)) reqs.add(r.request());
        if (limit > 0 && reqs.size() > limit) reqs = reqs.subList(0, limit);
        EditHparams hp;
        String presetName;
        try (TransformerModel probe = TransformerModel.load(model, LoadOptions.of("cpu", "float32"))) {
            presetName = hparams != null ? hparams.toString() : preset != null ? preset : defaultPreset(m, probe);
            hp = hparams != null ? EditHparams.read(hparams) : EditHparams.preset(presetName);
        }
        for (String o : overrides) {
            String[] kv = o.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("--set needs KEY=JSON, not '" + o + "'");
            hp = hp.with(kv[0], kv[1]);
        }
        if (hp.editMethod() != m) throw new IllegalArgumentException("preset " + presetName + " is for " + hp.method() + ", not " + m.id());
        final EditHparams params = hp;
        final List<EditRequest> batch = reqs;
        Map<String, Object> runParams = new LinkedHashMap<>();
        runParams.put("method", m.id());
        runParams.put("preset", presetName);
        runParams.put("requests", requests.toString());
        runParams.put("count", batch.size());
        runParams.put("sequential", sequential);
        runParams.put("hparams", hp.toJson());
        try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1)) {
            Path dataDir = cli.dataDirectory();
            JobSpec js = JobSpec.recorded("probe-edit", "edit", "Edit " + batch.size() + " facts with " + m.id(), runParams, model.toString());
            String summary = CliSupport.runInForeground(pool, js, ctx -> {
                try (TransformerModel tm = TransformerModel.load(model, LoadOptions.of("cpu", "float32"))) {
                    CovarianceStats cov = new CovarianceStats(dataDir, tm);
                    cov.compute(tm, corpus, Editor.touchedParameters(params).stream().mapToInt(p -> Integer.parseInt(p.split("\\.")[1])).toArray(),
                            corpusLines, (f, msg) -> ctx.progress(0.2 * f, "covariance: " + msg), ctx::isCancelled);
                    long[] step = {0};
                    EditListener l = new EditListener() {
                        @Override public void step(int i, int s, double nll, double kl, double norm, double p) {
                            long k = step[0]++;
                            ctx.metric("edit/nll", k, nll);
                            ctx.metric("edit/kl", k, kl);
                            ctx.metric("edit/delta_norm", k, norm);
                            ctx.metric("edit/target_prob", k, p);
                        }
                        @Override public void stage(double f, String msg) { ctx.progress(0.2 + 0.75 * f, msg); }
                        @Override public void log(String line) { ctx.log(line); }
                    };
                    try (EditSession session = new EditSession(tm, cov)) {
                        if (sequential) session.applySequentially(batch, params, presetName, l, ctx::isCancelled);
                        else session.apply(batch, params, presetName, l, ctx::isCancelled);
                        ctx.progress(0.97, "saving " + out);
                        session.save(out);
                        ctx.artifact("edit_log.json", out.resolve("edit_log.json"));
                        double secs = session.applied().stream().mapToDouble(e -> e.outcome().seconds()).sum();
                        ctx.metric("edit/seconds", 0, secs);
                        return String.format(Locale.ROOT, "edited %d facts with %s (%s) in %.1f s; saved %s", batch.size(), m.id(), presetName, secs, out);
                    }
                }
            }, err);
            outW.println(summary);
            outW.flush();
            return 0;
        } catch (JobCancelledException e) {
            err.println("edit: cancelled; nothing was saved");
            err.flush();
            return 130;
        }
    }

    /** The records of a requests file; an unreadable file becomes a one-line error naming it. */
    static List<EvalRecord> readable(Path file) {
        try {
            return EvalRecord.read(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The facts-llama preset for the sample fact models, else the published GPT-J or LLaMA-7B one. */
    static String defaultPreset(EditMethod m, TransformerModel model) {
        String type = model.spec().modelType();
        if (model.name().startsWith("facts")) return m.id() + "-facts-llama";
        String family = type.contains("gptj") || type.contains("gpt2") ? "gptj" : "llama7b";
        return m.id() + "-" + family + (m == EditMethod.JEEP ? "-cf" : "");
    }
}
