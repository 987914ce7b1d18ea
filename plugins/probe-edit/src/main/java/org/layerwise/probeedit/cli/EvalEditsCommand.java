package org.layerwise.probeedit.cli;

import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.probeedit.method.edit.EditHparams;
import org.layerwise.probeedit.method.edit.EditMethod;
import org.layerwise.probeedit.method.eval.EditEvaluation;
import org.layerwise.probeedit.method.eval.EditExperiment;
import org.layerwise.sdk.cli.CliSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code layerwise eval-edits}: ES, GS, LS, Score (and magnitude, fluency) of CounterFact or zsRE records,
 * on a model as it is or after editing the first N records as one batch. Each record's result is stored
 * as it is computed; {@code --resume RUN} skips the records an interrupted run already scored.
 */
@Command(name = "eval-edits", mixinStandardHelpOptions = true,
        description = "Evaluate knowledge edits (CounterFact / zsRE): ES, GS, LS, Score, magnitude, fluency; resumable.")
public final class EvalEditsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--requests", required = true, paramLabel = "FILE.json") Path requests;
    @Option(names = "--method", paramLabel = "jeep|memit|pmet|rome", description = "Edit the first --edits records with this method first (default: evaluate the model as it is).") String method;
    @Option(names = "--preset", paramLabel = "NAME") String preset;
    @Option(names = "--set", paramLabel = "KEY=JSON") List<String> overrides = new ArrayList<>();
    @Option(names = "--edits", defaultValue = "0", paramLabel = "N", description = "Records to edit and score (0: all).") int edits;
    @Option(names = "--fluency", description = "Also generate from generation_prompts and measure n-gram entropy.") boolean fluency;
    @Option(names = "--resume", paramLabel = "RUN", description = "Reuse the per-record results of an interrupted run.") Long resume;
    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the per-record table here.") Path csv;
    @Option(names = "--corpus", defaultValue = "sample-data/world/train.txt", paramLabel = "FILE.txt") Path corpus;
    @Mixin CliSupport cli;

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, this::run);
    }

    private Integer run() throws Exception {
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        EditCommand.readable(requests);     // a malformed file fails here, naming record and field
        EditHparams hp = null;
        String presetName = null;
        if (method != null) {
            EditMethod m = EditMethod.parse(method);
            try (TransformerModel probe = TransformerModel.load(model, LoadOptions.of("cpu", "float32"))) {
                presetName = preset != null ? preset : EditCommand.defaultPreset(m, probe);
            }
            hp = EditHparams.preset(presetName);
            for (String o : overrides) {
                String[] kv = o.split("=", 2);
                if (kv.length != 2) throw new IllegalArgumentException("--set needs KEY=JSON, not '" + o + "'");
                hp = hp.with(kv[0], kv[1]);
            }
        }
        try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1)) {
            List<EditEvaluation.RecordResult> previous = resume == null ? List.of()
                    : EditExperiment.previousResults(store.traces(resume));
            EditExperiment.Request req = new EditExperiment.Request(model, requests, hp, presetName, edits, fluency,
                    cli.dataDirectory(), corpus, 100000, null);
            var params = EditExperiment.runParameters(req);
            if (resume != null) params.put("resumed_from", resume);
            JobSpec js = JobSpec.recorded("probe-edit", "eval-edits", "Evaluate " + (hp == null ? "model" : hp.method() + " × " + edits) + " on " + requests.getFileName(),
                    params, model.toString());
            EditExperiment.Result r = CliSupport.runInForeground(pool, js, EditExperiment.job(req, previous), err);
            EditEvaluation.Summary s = r.summary();
            if (csv != null) Files.writeString(csv, EditExperiment.table(r.records()));
            out.printf(Locale.ROOT, "%d records%s: ES %.1f  GS %.1f  LS %.1f  Score %.1f  EM %.1f%s%s%n", s.records(),
                    previous.isEmpty() ? "" : " (" + previous.size() + " from run " + resume + ")",
                    s.es(), s.gs(), s.ls(), s.score(), s.em(), fluency ? String.format(Locale.ROOT, "  fluency %.2f", s.fluency()) : "",
                    hp == null ? "" : String.format(Locale.ROOT, "  (edit %.1f s)", r.editSeconds()));
            out.flush();
            return 0;
        } catch (JobCancelledException e) {
            err.println("eval-edits: cancelled; resume with --resume and the run's id (see ./layerwise runs)");
            err.flush();
            return 130;
        }
    }
}
