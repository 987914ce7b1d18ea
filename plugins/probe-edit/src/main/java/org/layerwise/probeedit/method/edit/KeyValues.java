package org.layerwise.probeedit.method.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Positions;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The key/value machinery every editor shares (upstream compute_ks and the input/output reads of
 * execute_memit): keys are the input of the MLP output projection ({@code blocks.l.mlp_in}) at the last
 * subject token (or the prediction position), averaged over context templates.
 */
public final class KeyValues {
    /** Where in a prompt a key or value is read. */
    public enum Site { SUBJECT_LAST, PREDICTION }

    private static final int ROWS_PER_PASS = 256;

    private KeyValues() {}

    /**
     * Upstream's context templates: "{}" plus, for each seed word, the model's own continuation of
     * {@code length} tokens, braces removed, followed by ". {}". Returned as prefixes ("" first).
     */
    public static List<String> contextTemplates(TransformerModel model, List<String> seeds, int length) {
        List<String> out = new ArrayList<>();
        out.add("");
        for (String seed : seeds) {
            // greedy, so the same model always gets the same templates (upstream samples top-5)
            String text = seed + model.generate(seed, GenerationConfig.greedy(length), null).text();
            text = text.replace("{", " ").replace("}", " ").replace("\n", " ").strip();
            out.add(text + ". ");
        }
        return out;
    }

    /** Keys [d_ff, m] in float64 at {@code layer}, averaged over the prefixes (rows: requests). */
    public static NDArray keys(NDManager m, TransformerModel model, List<EditRequest> requests, int layer, Site site, List<String> prefixes) {
        PromptRows rows = new PromptRows();
        for (EditRequest r : requests) for (String p : prefixes) rows.add(model, p, r.prompt(), r.subject(), null);
        NDArray all = read(m, model, rows, Taps.mlpIn(layer), site);               // [m·P, d_ff]
        long dff = all.getShape().get(1);
        return all.reshape(requests.size(), prefixes.size(), dff).mean(new int[] {1}).transpose().toType(DataType.FLOAT64, false);
    }

    /** The activation at {@code point} [m, width] (float32) for the plain prompts (no prefix). */
    public static NDArray plain(NDManager m, TransformerModel model, List<EditRequest> requests, String point, Site site) {
        PromptRows rows = new PromptRows();
        for (EditRequest r : requests) rows.add(model, "", r.prompt(), r.subject(), null);
        return read(m, model, rows, point, site);
    }

    /** Reads {@code point} at each row's site, in chunks; float32 [rows, width] attached to {@code m}. */
    static NDArray read(NDManager m, TransformerModel model, PromptRows rows, String point, Site site) {
        List<NDArray> parts = new ArrayList<>();
        try (GradMode off = GradMode.off()) {
            for (int from = 0; from < rows.size(); from += ROWS_PER_PASS) {
                PromptRows chunk = new PromptRows();
                chunk.rows.addAll(rows.rows.subList(from, Math.min(rows.size(), from + ROWS_PER_PASS)));
                try (NDManager scope = m.newSubManager()) {
                    int[] at = site == Site.SUBJECT_LAST ? chunk.subjectLast() : chunk.promptLast();
                    Taps taps = Taps.create().record(point, Positions.perRow(at));
                    model.forward(scope, chunk.ids(scope), chunk.mask(scope), taps);
                    NDArray r = taps.recorded(point).squeeze(1).toType(DataType.FLOAT32, true);
                    r.attach(m);
                    parts.add(r);
                }
            }
        }
        if (parts.size() == 1) return parts.get(0);
        NDArray out = NDArrays.concat(new ai.djl.ndarray.NDList(parts), 0);
        parts.forEach(NDArray::close);
        return out;
    }
}
