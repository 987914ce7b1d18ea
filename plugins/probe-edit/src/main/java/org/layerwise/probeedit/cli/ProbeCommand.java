package org.layerwise.probeedit.cli;

import org.jfree.chart.JFreeChart;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.probeedit.method.probe.DatasetProbe;
import org.layerwise.probeedit.method.probe.ProbeDataset;
import org.layerwise.probeedit.method.probe.ProbeFigures;
import org.layerwise.probeedit.method.probe.ProbeJobs;
import org.layerwise.probeedit.method.probe.ProbeOptions;
import org.layerwise.probeedit.method.probe.ProbeRequest;
import org.layerwise.probeedit.method.probe.ProbeResult;
import org.layerwise.probeedit.method.probe.TokenSets;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.cli.CliSupport;
import org.layerwise.sdk.figure.ChartFigureExport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code layerwise probe}: the JEEP contrast probe of one fact or of a data set, as a recorded run, with the
 * paper's figure (or its data) written to {@code --out}.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Contrast probe (JEEP): rank and probability of the original and the target answer at every layer,",
                "at the last subject token and the last token; over a data set, means with 95%% bands."})
public final class ProbeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder (config.json, safetensors, tokenizer.json).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @ArgGroup(exclusive = false) Fact fact;

        @Option(names = "--dataset", paramLabel = "FILE",
                description = "CounterFact JSON array or JSON lines {prompt, subject, target_true, target_new}.")
        Path dataset;
    }

    static final class Fact {
        @Option(names = "--prompt", required = true, description = "The prompt; {} stands for the subject, or write the subject in.")
        String prompt;

        @Option(names = "--subject", required = true, description = "The subject as written in the prompt (or put in for {}).") String subject;

        @Option(names = "--original", required = true, description = "The original (true) answer.") String original;

        @Option(names = "--target", required = true, description = "The target (new) answer.") String target;
    }

    @Option(names = "--limit", paramLabel = "N", description = "Probe only the first N facts of the data set.")
    Integer limit;

    @Option(names = "--final-norm", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Apply the final norm before the LM head (default, the logit-lens habit); --no-final-norm reads the "
                    + "raw block outputs as the JEEP paper does.")
    boolean finalNorm;

    @Option(names = "--after", paramLabel = "attn|mlp", defaultValue = "mlp",
            description = "Read after the MLP (block output, default) or after attention.")
    String after;

    @Option(names = "--token-sets", paramLabel = "FILE.json",
            description = "Word lists {\"name\": [words]} for summed-probability curves (default: the shipped sets plus the data set's answers).")
    Path tokenSets;

    @Option(names = "--out", paramLabel = "FIG.pdf|png|svg|csv",
            description = "Write the figure (or its data as CSV); repeat for several formats.")
    List<Path> out = new java.util.ArrayList<>();

    @Option(names = "--sets-out", paramLabel = "FIG.pdf|png|svg|csv",
            description = "Data set only: write the token-set figure (summed probabilities); repeatable.")
    List<Path> setsOut = new java.util.ArrayList<>();

    @Option(names = "--position", paramLabel = "N",
            description = "One fact only: add a panel for token position N (0 = first token; repeatable).")
    List<Integer> positions = new java.util.ArrayList<>();

    @Option(names = "--heatmap-word", paramLabel = "WORD",
            description = "One fact only: the word whose first token the heatmap shows (default: the original answer).")
    String heatmapWord;

    @Option(names = "--heatmap-out", paramLabel = "FIG.pdf|png|svg|csv",
            description = "One fact only: write the layers x positions heatmap; repeatable.")
    List<Path> heatmapOut = new java.util.ArrayList<>();

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto", description = "Where to run (default: ${DEFAULT-VALUE}).") String device;

    @Option(names = "--dtype", paramLabel = "keep|float32|float16", defaultValue = "keep", description = "Weights dtype (default: as stored).") String dtype;

    @Mixin CliSupport cli;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        return CliSupport.reportingErrors(spec, () -> {
            ProbeOptions options = ProbeOptions.paper().withFinalNorm(finalNorm).withSite(ProbeOptions.Site.fromCli(after));
            for (Path p : out) format(p);
            for (Path p : setsOut) format(p);
            for (Path p : heatmapOut) format(p);
            if (input.dataset != null && (!positions.isEmpty() || heatmapWord != null || !heatmapOut.isEmpty()))
                throw new IllegalArgumentException("--position, --heatmap-word and --heatmap-out apply to one fact, not to --dataset");
            if (heatmapWord != null && !heatmapWord.isBlank()) options = options.withExtraWords(List.of(heatmapWord.strip()));
            if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be at least 1");
            List<ProbeRequest> facts = null;
            if (input.dataset != null) {
                facts = ProbeDataset.read(input.dataset);
                if (limit != null && limit < facts.size()) facts = facts.subList(0, limit);
                Map<String, List<String>> sets = new LinkedHashMap<>(tokenSets == null ? TokenSets.defaults() : TokenSets.read(tokenSets));
                if (tokenSets == null) sets.put(TokenSets.RELATED, TokenSets.relatedWords(facts));
                options = options.withTokenSets(sets);
            }
            try (TransformerModel m = TransformerModel.load(model, LoadOptions.of(device, dtype));
                 SqliteRunStore store = cli.openRunStore();
                 WorkerPool pool = new WorkerPool(store, 1)) {
                JFreeChart chart;
                JFreeChart sets = null;
                JFreeChart heat = null;
                if (facts == null) {
                    ProbeRequest r = new ProbeRequest(input.fact.prompt, input.fact.subject, input.fact.original, input.fact.target);
                    JobSpec job = JobSpec.recorded("probe-edit", "contrast-probe", "Probe " + r.text(),
                            ProbeJobs.parameters(m, r, options), model.toString());
                    ProbeJobs.Single s = CliSupport.runInForeground(pool, job, ProbeJobs.single(m, r, options), err);
                    print(stdout, s.result());
                    stdout.println("proposed regions: " + s.regions() + "\n  " + s.regions().reason());
                    for (int p : positions)
                        if (p < 0 || p >= s.result().tokens().length)
                            throw new IllegalArgumentException("--position " + p + " is outside the prompt's " + s.result().tokens().length + " tokens");
                    chart = ProbeFigures.probe(s.result(), s.regions(), positions.stream().mapToInt(Integer::intValue).toArray());
                    heat = ProbeFigures.heatmap(s.result(), heatmapWord == null || heatmapWord.isBlank()
                            ? s.result().original() : s.result().track(heatmapWord.strip()));
                } else {
                    JobSpec job = JobSpec.recorded("probe-edit", "contrast-probe-dataset", "Probe " + facts.size() + " facts of "
                            + input.dataset.getFileName(), ProbeJobs.parameters(m, input.dataset, facts.size(), options), model.toString());
                    ProbeJobs.Dataset d = CliSupport.runInForeground(pool, job, ProbeJobs.dataset(m, facts, options), err);
                    print(stdout, d.result());
                    stdout.println("proposed regions: " + d.regions() + "\n  " + d.regions().reason());
                    chart = ProbeFigures.datasetProbe(d.result(), d.regions());
                    sets = ProbeFigures.tokenSets(d.result());
                }
                ChartFigureExport export = new ChartFigureExport();
                for (Path p : out) {
                    export.export(chart, format(p), FigureExport.Width.DOUBLE_COLUMN, 0.8, 300, p);
                    stdout.println("wrote " + p);
                }
                if (sets == null && !setsOut.isEmpty()) throw new IllegalArgumentException("--sets-out needs --dataset");
                for (Path p : heatmapOut) {
                    export.export(heat, format(p), FigureExport.Width.DOUBLE_COLUMN, 0.7, 300, p);
                    stdout.println("wrote " + p);
                }
                for (Path p : setsOut) {
                    export.export(sets, format(p), FigureExport.Width.DOUBLE_COLUMN, 0.8, 300, p);
                    stdout.println("wrote " + p);
                }
                stdout.flush();
                return 0;
            } catch (JobCancelledException e) {
                err.println("probe: cancelled");
                err.flush();
                return 130;
            }
        });
    }

    private static FigureExport.Format format(Path out) {
        String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        try {
            return FigureExport.Format.valueOf(n.substring(dot + 1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--out " + out + ": name the figure .pdf, .png, .svg or .csv");
        }
    }

    private static void print(PrintWriter out, ProbeResult r) {
        out.printf(Locale.ROOT, "tokens: %s; last subject token %d, last token %d; %s vs %s%n",
                String.join("|", r.tokens()), r.subjectLast(), r.last(), r.original().token(), r.target().token());
        out.println("layer  rank(orig)@subj  rank(tgt)@subj  rank(orig)@last  rank(tgt)@last  p(orig)@last  p(tgt)@last");
        for (int l = 0; l < r.layers(); l++)
            out.printf(Locale.ROOT, "%5d  %15d  %14d  %15d  %14d  %12.4f  %11.4f%n", l,
                    r.original().rank()[l][r.subjectLast()], r.target().rank()[l][r.subjectLast()],
                    r.original().rank()[l][r.last()], r.target().rank()[l][r.last()],
                    r.original().prob()[l][r.last()], r.target().prob()[l][r.last()]);
    }

    private static void print(PrintWriter out, DatasetProbe.Result r) {
        out.printf(Locale.ROOT, "%d facts probed%s%n", r.probed(), r.skipped().isEmpty() ? "" : ", " + r.skipped().size() + " skipped");
        var subj = DatasetProbe.Position.SUBJECT_LAST;
        var last = DatasetProbe.Position.LAST;
        out.println("layer  mean rank(orig)@subj  mean rank(orig)@last  mean rank(tgt)@last  mean p(orig)@last  mean p(tgt)@last");
        for (int l = 0; l < r.layers(); l++)
            out.printf(Locale.ROOT, "%5d  %20.1f  %20.1f  %19.1f  %17.4f  %16.4f%n", l,
                    r.band(subj, DatasetProbe.ORIGINAL_RANK).mean()[l], r.band(last, DatasetProbe.ORIGINAL_RANK).mean()[l],
                    r.band(last, DatasetProbe.TARGET_RANK).mean()[l], r.band(last, DatasetProbe.ORIGINAL_PROB).mean()[l],
                    r.band(last, DatasetProbe.TARGET_PROB).mean()[l]);
    }
}
