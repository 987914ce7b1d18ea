package org.layerwise.probeedit.method.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokenised prompts for one batched forward pass, right-padded: per row the last subject token, the last
 * prompt token (the prediction position) and, when an answer follows, the positions whose logits predict
 * its tokens.
 */
final class PromptRows {
    /** One row: {@code targetIds[j]} is predicted by the logits at {@code targetFrom + j}. */
    record Row(int[] ids, int subjectLast, int promptLast, int targetFrom, int[] targetIds) {}

    final List<Row> rows = new ArrayList<>();

    /**
     * Adds {@code prefix + prompt(subject)} and, when {@code answer} is not null, the answer's tokens but the
     * last (teacher forcing), as upstream's rewriting prompts.
     */
    Row add(TransformerModel model, String prefix, String prompt, String subject, String answer) {
        int at = prompt.indexOf("{}");
        if (at < 0) throw new IllegalArgumentException("prompt \"" + prompt + "\" has no {} for the subject");
        String text = prefix + prompt.replace("{}", subject);
        int subjStart = prefix.length() + at, subjEnd = subjStart + subject.length();
        String full = answer == null ? text : text + " " + answer;
        Encoding e = model.encode(full);
        int[] covering = e.positionsCovering(subjStart, subjEnd);
        if (covering.length == 0) throw new IllegalArgumentException("subject \"" + subject + "\" has no token in \"" + full + "\"");
        int firstAnswer = e.length();
        if (answer != null) {
            for (int i = 0; i < e.length(); i++) if (e.charEnds()[i] > text.length() && e.charStarts()[i] >= 0 && e.charEnds()[i] > 0) { firstAnswer = i; break; }
            if (firstAnswer == e.length()) throw new IllegalArgumentException("answer \"" + answer + "\" has no token after \"" + text + "\"");
        }
        int[] target = new int[e.length() - firstAnswer];
        System.arraycopy(e.ids(), firstAnswer, target, 0, target.length);
        int[] ids = new int[answer == null ? e.length() : e.length() - 1];
        System.arraycopy(e.ids(), 0, ids, 0, ids.length);
        Row r = new Row(ids, covering[covering.length - 1], firstAnswer - 1, firstAnswer - 1, target);
        rows.add(r);
        return r;
    }

    int size() { return rows.size(); }

    /**
     * A copy in memory PyTorch owns. An array made from Java data wraps a direct buffer that is freed when its
     * Java object is collected, and a view of it (reshape, transpose) does not keep that object alive.
     */
    static NDArray own(NDArray fromJava) {
        NDArray copy = fromJava.duplicate();
        fromJava.close();
        return copy;
    }

    int longest() { return rows.stream().mapToInt(r -> r.ids.length).max().orElse(0); }

    NDArray ids(NDManager m) {
        int t = longest();
        long[] flat = new long[rows.size() * t];
        for (int b = 0; b < rows.size(); b++) for (int i = 0; i < rows.get(b).ids.length; i++) flat[b * t + i] = rows.get(b).ids[i];
        return own(m.create(flat, new Shape(rows.size(), t)));
    }

    /** 1 for real tokens, 0 for the right padding. */
    NDArray mask(NDManager m) {
        int t = longest();
        long[] flat = new long[rows.size() * t];
        for (int b = 0; b < rows.size(); b++) for (int i = 0; i < rows.get(b).ids.length; i++) flat[b * t + i] = 1;
        return own(m.create(flat, new Shape(rows.size(), t)));
    }

    int[] subjectLast() { return rows.stream().mapToInt(Row::subjectLast).toArray(); }

    int[] promptLast() { return rows.stream().mapToInt(Row::promptLast).toArray(); }

    /** Next-token ids [B, T] at the answer positions (0 elsewhere) and their weights 1/len [B, T]. */
    NDArray[] answerTargets(NDManager m) {
        int t = longest();
        long[] ids = new long[rows.size() * t];
        float[] w = new float[rows.size() * t];
        for (int b = 0; b < rows.size(); b++) {
            Row r = rows.get(b);
            for (int j = 0; j < r.targetIds.length; j++) {
                ids[b * t + r.targetFrom + j] = r.targetIds[j];
                w[b * t + r.targetFrom + j] = 1f / r.targetIds.length;
            }
        }
        return new NDArray[] {own(m.create(ids, new Shape(rows.size(), t))), own(m.create(w, new Shape(rows.size(), t)))};
    }
}
