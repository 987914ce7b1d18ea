package org.layerwise.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many facts of a fact world a model answers: for every prompt, is the model's top-1 next token
 * the first token of " " + object? Training prompts (the templates the model learnt from) and held-out
 * paraphrases (wordings it never saw) are counted apart, overall and per relation. Prompts run in
 * right-padded batches; the prediction is read at each row's last real token.
 */
public final class FactsRecall {

    private static final int BATCH = 64;

    /** Hits and totals for one split. */
    public record Score(int hits, int total) {
        public double rate() {
            return total == 0 ? Double.NaN : (double) hits / total;
        }

        Score plus(boolean hit) {
            return new Score(hits + (hit ? 1 : 0), total + 1);
        }
    }

    /** A prompt the model got wrong: what it predicted instead of the object's first token. */
    public record Miss(int caseId, String prompt, String expected, String predicted, boolean heldOut) {}

    public record Result(Score training, Score paraphrase, Map<String, Score> trainingByRelation,
                         Map<String, Score> paraphraseByRelation, List<Miss> misses) {}

    private FactsRecall() {
    }

    public static Result measure(TransformerModel model, List<FactRecord> facts) {
        TextTokenizer tokenizer = model.tokenizer();
        List<int[]> prompts = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        List<Boolean> heldOut = new ArrayList<>();
        List<FactRecord> owner = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (FactRecord f : facts) {
            int[] objectIds = encode(tokenizer, " " + f.object());
            if (objectIds.length == 0) {
                throw new IllegalArgumentException("fact " + f.caseId() + ": object \"" + f.object() + "\" has no tokens");
            }
            for (int split = 0; split < 2; split++) {
                for (String p : split == 0 ? f.prompts() : f.paraphrases()) {
                    prompts.add(encode(tokenizer, p));
                    expected.add(objectIds[0]);
                    heldOut.add(split == 1);
                    owner.add(f);
                    texts.add(p);
                }
            }
        }
        int[] predicted = topTokens(model, prompts);
        Score training = new Score(0, 0);
        Score paraphrase = new Score(0, 0);
        Map<String, Score> trainingBy = new LinkedHashMap<>();
        Map<String, Score> paraphraseBy = new LinkedHashMap<>();
        List<Miss> misses = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            boolean hit = predicted[i] == expected.get(i);
            String relation = owner.get(i).relation();
            if (heldOut.get(i)) {
                paraphrase = paraphrase.plus(hit);
                paraphraseBy.merge(relation, new Score(hit ? 1 : 0, 1), FactsRecall::add);
            } else {
                training = training.plus(hit);
                trainingBy.merge(relation, new Score(hit ? 1 : 0, 1), FactsRecall::add);
            }
            if (!hit) {
                misses.add(new Miss(owner.get(i).caseId(), texts.get(i), owner.get(i).object(),
                        tokenizer.decode(new int[] {predicted[i]}), heldOut.get(i)));
            }
        }
        return new Result(training, paraphrase, trainingBy, paraphraseBy, misses);
    }

    private static Score add(Score a, Score b) {
        return new Score(a.hits() + b.hits(), a.total() + b.total());
    }

    private static int[] encode(TextTokenizer tokenizer, String text) {
        return tokenizer instanceof HfTokenizer hf ? hf.encode(text, true).ids() : tokenizer.encode(text).ids();
    }

    /** The argmax next token after each prompt. */
    private static int[] topTokens(TransformerModel model, List<int[]> prompts) {
        int[] out = new int[prompts.size()];
        try (GradMode off = GradMode.off(); NDManager m = NDManager.newBaseManager(model.djlDevice())) {
            for (int from = 0; from < prompts.size(); from += BATCH) {
                int rows = Math.min(BATCH, prompts.size() - from);
                int width = 0;
                for (int r = 0; r < rows; r++) {
                    width = Math.max(width, prompts.get(from + r).length);
                }
                long[] ids = new long[rows * width];
                long[] mask = new long[rows * width];
                long[] last = new long[rows];
                for (int r = 0; r < rows; r++) {
                    int[] p = prompts.get(from + r);
                    for (int i = 0; i < p.length; i++) {
                        ids[r * width + i] = p[i];
                        mask[r * width + i] = 1;
                    }
                    last[r] = p.length - 1;
                }
                try (NDManager scope = m.newSubManager()) {
                    NDArray logits = model.forward(scope, scope.create(ids, new Shape(rows, width)),
                            scope.create(mask, new Shape(rows, width)), Taps.none());        // [B, T, V]
                    NDArray index = scope.create(last, new Shape(rows, 1, 1)).toDevice(logits.getDevice(), false)
                            .broadcast(new Shape(rows, 1, logits.getShape().get(2)));
                    long[] top = logits.gather(index, 1).squeeze(1).argMax(1).toLongArray();
                    for (int r = 0; r < rows; r++) {
                        out[from + r] = (int) top[r];
                    }
                }
            }
        }
        return out;
    }
}
