package org.layerwise.probeedit.method.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.TraceEvent;
import org.layerwise.probeedit.method.covariance.CovarianceStats;
import org.layerwise.probeedit.method.edit.EditHparams;
import org.layerwise.probeedit.method.edit.EditListener;
import org.layerwise.probeedit.method.edit.EditRequest;
import org.layerwise.probeedit.method.edit.EditSession;
import org.layerwise.probeedit.method.edit.Editor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One evaluation run: optionally apply the first {@code edits} requests of a CounterFact/zsRE file as one
 * batch (timed, with the optimisation curves as metrics), then score every edited record. Each record's
 * result is a trace event of the run as soon as it is known, so a run that died can be resumed: pass the
 * results read back from its traces ({@link #previousResults}) and those records are not scored again.
 */
public final class EditExperiment {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param hparams   null: evaluate the model as it is (e.g. an edited checkpoint)
     * @param edits     how many records (from the start of the file) to edit and evaluate; 0 = all
     * @param corpus    text for the covariance statistics (one text per line)
     */
    public record Request(Path model, Path records, EditHparams hparams, String presetName, int edits, boolean fluency,
                          Path dataDir, Path corpus, int corpusLines, Path saveTo) {}

    /** The summary, the edit's seconds and the per-record results. */
    public record Result(EditEvaluation.Summary summary, double editSeconds, List<EditEvaluation.RecordResult> records, Map<String, double[]> zError) {}

    private EditExperiment() {}

    public static Map<String, Object> runParameters(Request r) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", r.model().toString());
        p.put("records", r.records().toString());
        p.put("method", r.hparams() == null ? "none" : r.hparams().method());
        p.put("preset", r.presetName() == null ? "none" : r.presetName());
        p.put("edits", r.edits());
        p.put("fluency", r.fluency());
        if (r.hparams() != null) p.put("hparams", r.hparams().toJson());
        return p;
    }

    public static Job<Result> job(Request r, List<EditEvaluation.RecordResult> previous) {
        return ctx -> run(r, ctx, previous);
    }

    public static Result run(Request r, JobContext ctx, List<EditEvaluation.RecordResult> previous) throws Exception {
        List<EvalRecord> all = EvalRecord.read(r.records());
        List<EvalRecord> records = r.edits() > 0 ? all.subList(0, Math.min(r.edits(), all.size())) : all;
        if (r.edits() > all.size()) ctx.log(r.records() + " holds " + all.size() + " records, fewer than the " + r.edits() + " asked for");
        Map<String, EditEvaluation.RecordResult> done = new HashMap<>();
        for (EditEvaluation.RecordResult p : previous) done.put(p.caseId(), p);
        double seconds = 0;
        Map<String, double[]> zError = Map.of();
        try (TransformerModel model = TransformerModel.load(r.model(), LoadOptions.of("cpu", "float32"))) {
            CovarianceStats cov = new CovarianceStats(r.dataDir(), model);
            try (EditSession session = new EditSession(model, cov)) {
                if (r.hparams() != null) {
                    List<Integer> layers = new ArrayList<>();
                    for (String p : Editor.touchedParameters(r.hparams())) layers.add(Integer.parseInt(p.split("\\.")[1]));
                    cov.compute(model, r.corpus(), layers.stream().mapToInt(Integer::intValue).toArray(), r.corpusLines(),
                                (f, msg) -> ctx.progress(0.1 * f, "covariance: " + msg), ctx::isCancelled);
                    List<EditRequest> requests = records.stream().map(EvalRecord::request).toList();
                    long[] global = {0};
                    EditListener listener = new EditListener() {
                        @Override public void step(int index, int step, double nll, double kl, double norm, double prob) {
                            long s = global[0]++;
                            ctx.metric("edit/nll", s, nll);
                            ctx.metric("edit/kl", s, kl);
                            ctx.metric("edit/delta_norm", s, norm);
                            ctx.metric("edit/target_prob", s, prob);
                        }
                        @Override public void stage(double f, String msg) { ctx.progress(0.1 + 0.6 * f, msg); }
                        @Override public void log(String line) { ctx.log(line); }
                    };
                    EditSession.AppliedEdit e = session.apply(requests, r.hparams(), r.presetName(), listener, ctx::isCancelled);
                    seconds = e.outcome().seconds();
                    zError = e.outcome().zError();
                    ctx.metric("edit/seconds", 0, seconds);
                    zError.forEach((k, v) -> { ctx.metric("z_error/" + k + "/before", 0, v[0]); ctx.metric("z_error/" + k + "/after", 0, v[1]); });
                    if (r.saveTo() != null) session.save(r.saveTo());
                }
                List<EditEvaluation.RecordResult> results = new ArrayList<>();
                for (int i = 0; i < records.size(); i++) {
                    ctx.checkCancelled();
                    EvalRecord rec = records.get(i);
                    EditEvaluation.RecordResult res = done.get(rec.request().caseId());
                    if (res == null) {
                        res = EditEvaluation.evaluate(model, rec, r.fluency());
                        ctx.trace("record", JSON.writeValueAsString(res));
                    }
                    results.add(res);
                    ctx.progress(0.7 + 0.3 * (i + 1) / records.size(), "evaluated " + (i + 1) + "/" + records.size());
                }
                EditEvaluation.Summary s = EditEvaluation.Summary.of(results);
                ctx.metric("ES", 0, s.es());
                ctx.metric("GS", 0, s.gs());
                ctx.metric("LS", 0, s.ls());
                ctx.metric("Score", 0, s.score());
                ctx.metric("EM", 0, s.em());
                if (r.fluency()) ctx.metric("fluency", 0, s.fluency());
                Path csv = Files.createTempFile("edit-records", ".csv");
                Files.writeString(csv, table(results));
                ctx.artifact("records.csv", csv);
                Files.deleteIfExists(csv);
                ctx.log(String.format(Locale.ROOT, "%d records: ES %.1f GS %.1f LS %.1f Score %.1f (edit %.1f s)",
                        s.records(), s.es(), s.gs(), s.ls(), s.score(), seconds));
                return new Result(s, seconds, results, zError);
            }
        }
    }

    /** The per-record table as CSV. */
    public static String table(List<EditEvaluation.RecordResult> rs) {
        StringBuilder sb = new StringBuilder("case_id,ES,GS,LS,EM,PM,NM,fluency\n");
        for (EditEvaluation.RecordResult r : rs)
            sb.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f%n", r.caseId(), r.es(), r.gs(), r.ls(), r.em(), r.pm(), r.nm(), r.fluency()));
        return sb.toString();
    }

    /** Per-record results stored as "record" trace events of an earlier run. */
    public static List<EditEvaluation.RecordResult> previousResults(List<TraceEvent> traces) throws IOException {
        List<EditEvaluation.RecordResult> out = new ArrayList<>();
        for (TraceEvent t : traces) {
            if (!t.kind().equals("record")) continue;
            JsonNode n = JSON.readTree(t.json());
            out.add(new EditEvaluation.RecordResult(n.get("caseId").asText(), d(n, "es"), d(n, "gs"), d(n, "ls"), d(n, "em"), d(n, "pm"), d(n, "nm"), d(n, "fluency")));
        }
        return out;
    }

    private static double d(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }
}
