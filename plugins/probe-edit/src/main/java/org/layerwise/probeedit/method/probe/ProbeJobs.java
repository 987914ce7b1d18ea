package org.layerwise.probeedit.method.probe;

import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.TransformerModel;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The probe as recorded jobs (the GUI's Run buttons and {@code layerwise probe}): parameters for the run store,
 * metrics per layer (step = layer), the proposed regions in the log, and the CSV as an artifact.
 */
public final class ProbeJobs {
    private ProbeJobs() {}

    /** A single fact probed, with its proposed regions. */
    public record Single(ProbeResult result, LayerRegions regions) {}

    /** A data set probed, with its proposed regions. */
    public record Dataset(DatasetProbe.Result result, LayerRegions regions) {}

    public static Map<String, Object> parameters(TransformerModel model, ProbeRequest r, ProbeOptions o) {
        Map<String, Object> p = common(model, o);
        p.put("prompt", r.prompt());
        p.put("subject", r.subject());
        p.put("original", r.original());
        p.put("target", r.target());
        return p;
    }

    public static Map<String, Object> parameters(TransformerModel model, Path dataset, int facts, ProbeOptions o) {
        Map<String, Object> p = common(model, o);
        p.put("dataset", dataset.toString());
        p.put("facts", facts);
        return p;
    }

    private static Map<String, Object> common(TransformerModel model, ProbeOptions o) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", model.directory() == null ? model.name() : model.directory().toString());
        p.put("final_norm", o.finalNorm());
        p.put("after", o.site().cliName());
        if (!o.extraWords().isEmpty()) p.put("extra_words", String.join(",", o.extraWords()));
        if (!o.tokenSets().isEmpty()) p.put("token_sets", String.join(",", o.tokenSets().keySet()));
        return p;
    }

    public static Job<Single> single(TransformerModel model, ProbeRequest request, ProbeOptions options) {
        return ctx -> {
            ctx.progress(Double.NaN, "probing " + model.spec().layers() + " layers");
            ProbeResult r = ContrastProbe.run(model, request, options);
            ctx.checkCancelled();
            LayerRegions regions = LayerRegions.propose(r);
            for (int l = 0; l < r.layers(); l++) {
                ctx.metric("original_rank_subject_last", l, r.original().rank()[l][r.subjectLast()]);
                ctx.metric("target_rank_subject_last", l, r.target().rank()[l][r.subjectLast()]);
                ctx.metric("original_prob_subject_last", l, r.original().prob()[l][r.subjectLast()]);
                ctx.metric("target_prob_subject_last", l, r.target().prob()[l][r.subjectLast()]);
                ctx.metric("original_rank_last", l, r.original().rank()[l][r.last()]);
                ctx.metric("target_rank_last", l, r.target().rank()[l][r.last()]);
                ctx.metric("original_prob_last", l, r.original().prob()[l][r.last()]);
                ctx.metric("target_prob_last", l, r.target().prob()[l][r.last()]);
            }
            ctx.log(String.format(Locale.ROOT, "final layer, last token: p(%s)=%.4f rank %d; p(%s)=%.4f rank %d",
                    r.original().word(), r.original().prob()[r.layers() - 1][r.last()], r.original().rank()[r.layers() - 1][r.last()],
                    r.target().word(), r.target().prob()[r.layers() - 1][r.last()], r.target().rank()[r.layers() - 1][r.last()]));
            ctx.log("proposed regions: " + regions + " — " + regions.reason());
            artifact(ctx, "contrast-probe.csv", w -> ProbeCsv.write(r, w));
            ctx.progress(1, "probed; proposed " + regions);
            return new Single(r, regions);
        };
    }

    public static Job<Dataset> dataset(TransformerModel model, List<ProbeRequest> requests, ProbeOptions options) {
        return ctx -> {
            DatasetProbe.Result r = DatasetProbe.run(model, requests, options, ctx);
            LayerRegions regions = LayerRegions.propose(r);
            for (DatasetProbe.Position p : DatasetProbe.Position.values()) {
                String suffix = p == DatasetProbe.Position.LAST ? "_last" : "_subject_last";
                for (Map.Entry<String, Band> c : r.curves().get(p).entrySet()) {
                    String name = "mean_" + c.getKey().replace("set: ", "set_").replaceAll("[^A-Za-z0-9_]+", "_") + suffix;
                    for (int l = 0; l < r.layers(); l++) ctx.metric(name, l, c.getValue().mean()[l]);
                }
            }
            ctx.log(r.probed() + " facts probed" + (r.skipped().isEmpty() ? "" : "; skipped: " + String.join("; ", r.skipped())));
            ctx.log("proposed regions: " + regions + " — " + regions.reason());
            artifact(ctx, "contrast-probe-dataset.csv", w -> ProbeCsv.write(r, w));
            return new Dataset(r, regions);
        };
    }

    private interface CsvBody { void write(Writer w) throws IOException; }

    private static void artifact(JobContext ctx, String name, CsvBody body) throws IOException {
        Path tmp = Files.createTempFile("layerwise-probe", ".csv");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            ctx.artifact(name, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
