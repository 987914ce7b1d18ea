package org.layerwise.rationale.method;

import org.layerwise.engine.data.nlu.NluPrompt;
import org.layerwise.engine.data.nlu.NluRecord;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.train.BatchSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Turns NLU records into weighted token rows for one {@link TrainingMethod}. Every target ends with EOS, which is
 * trained too (the model learns to stop). The per-token methods give weight 1 to each target token and count
 * those tokens in the normaliser (the loss is the mean over target tokens). Align gives each item two rows — the
 * direct view (prompt → label) and the rationale view (CoT prompt → rationale ending in the label) — with weights
 * {@code w / |label tokens|} and {@code (1 − w) / |rationale tokens|}, and counts the item once: the loss is
 * {@code mean over items of (w · mean label NLL + (1 − w) · mean rationale NLL)}, each part normalised separately.
 */
public final class TrainingExamples {
    /** How text becomes token ids: prompts with the model's BOS, targets without special tokens. */
    public record Codec(Function<String, int[]> prompt, Function<String, int[]> text, int eos) {
        public static Codec of(TransformerModel model) {
            int[] eos = model.eosTokenIds();
            if (eos.length == 0) throw new IllegalArgumentException(model.name() + " declares no eos_token_id in config.json; "
                    + "the NLU models need one to end targets");
            return new Codec(p -> model.encode(p).ids(), t -> model.tokenizer().encode(t).ids(), eos[0]);
        }
    }

    /** One training item: its rows and what it adds to the normaliser. */
    public record Example(List<int[]> rows, List<float[]> weights, long normaliser) {}

    private TrainingExamples() {}

    public static List<Example> build(List<NluRecord> records, TrainingMethod method, double alignWeight, Codec codec, int maxLength) {
        if (alignWeight < 0 || alignWeight > 1) throw new IllegalArgumentException("align weight w must be in [0, 1], was " + alignWeight);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            NluRecord r = records.get(i);
            Example e = switch (method) {
                case LABEL_ONLY -> single(codec, NluPrompt.direct(r), r.label());
                case REASON -> single(codec, NluPrompt.cot(r), NluPrompt.rationaleTarget(r));
                case EXPLAIN -> single(codec, NluPrompt.direct(r), r.label() + " because " + NluPrompt.reasoning(r));
                case MIX -> i % 2 == 0 ? single(codec, NluPrompt.direct(r), r.label())
                        : single(codec, NluPrompt.cot(r), NluPrompt.rationaleTarget(r));
                case ALIGN -> align(codec, r, alignWeight);
            };
            boolean fits = true;
            for (int[] row : e.rows()) fits &= row.length <= maxLength;
            if (fits) out.add(e);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no training item fits in " + maxLength + " positions");
        return out;
    }

    /** Both views of one item, for the models' base training (every item seen in each mode, per-token mean). */
    public static List<Example> bothViews(List<NluRecord> records, Codec codec, int maxLength) {
        List<Example> out = new ArrayList<>(build(records, TrainingMethod.LABEL_ONLY, 0.5, codec, maxLength));
        out.addAll(build(records, TrainingMethod.REASON, 0.5, codec, maxLength));
        return out;
    }

    static Example single(Codec codec, String prompt, String target) {
        Row row = row(codec, prompt, target, 1f);
        return new Example(List.of(row.ids), List.of(row.weights), row.targets);
    }

    static Example align(Codec codec, NluRecord r, double w) {
        Row label = row(codec, NluPrompt.direct(r), r.label(), 1f);
        Row rationale = row(codec, NluPrompt.cot(r), NluPrompt.rationaleTarget(r), 1f);
        scale(label, (float) (w / label.targets));
        scale(rationale, (float) ((1 - w) / rationale.targets));
        return new Example(List.of(label.ids, rationale.ids), List.of(label.weights, rationale.weights), 1);
    }

    private record Row(int[] ids, float[] weights, int targets) {}

    private static Row row(Codec codec, String prompt, String target, float weight) {
        int[] p = codec.prompt().apply(prompt);
        int[] t = codec.text().apply(" " + target);
        int[] ids = new int[p.length + t.length + 1];
        System.arraycopy(p, 0, ids, 0, p.length);
        System.arraycopy(t, 0, ids, p.length, t.length);
        ids[ids.length - 1] = codec.eos();
        float[] weights = new float[ids.length - 1];
        for (int i = p.length - 1; i < weights.length; i++) weights[i] = weight;    // predicts tokens p.length .. end
        return new Row(ids, weights, t.length + 1);
    }

    private static void scale(Row row, float factor) {
        for (int i = 0; i < row.weights.length; i++) row.weights[i] *= factor;
    }

    /** Endless batches of {@code size} examples, reshuffled each epoch from {@code seed} and the epoch number. */
    public static BatchSource<SupervisedBatch> batches(List<Example> examples, int size, long seed) {
        int perEpoch = Math.max(1, examples.size() / size);
        return index -> {
            long epoch = index / perEpoch;
            int within = (int) (index % perEpoch);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) order.add(i);
            Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
            List<int[]> rows = new ArrayList<>();
            List<float[]> weights = new ArrayList<>();
            long normaliser = 0;
            for (int k = within * size; k < Math.min(examples.size(), (within + 1) * size); k++) {
                Example e = examples.get(order.get(k));
                rows.addAll(e.rows());
                weights.addAll(e.weights());
                normaliser += e.normaliser();
            }
            return new SupervisedBatch(rows, weights, normaliser);
        };
    }
}
