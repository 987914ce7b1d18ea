package org.layerwise.probeedit.method.edit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Positions;
import org.layerwise.engine.model.Scalars;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Upstream compute_z, generalised to several offsets optimised together (JEEP's δ′ and δ*, PMET's attention
 * and MLP offsets): each offset is added at one tap point at one site of every rewriting prompt; the loss is
 * the mean NLL of the new answer's tokens + kl_factor·KL(P_δ ‖ P_0) at the last subject token of the
 * "{} is a" prompt + Σ decay·‖δ‖/‖init‖²; Adam; after each step each ‖δ‖ is clamped to clamp·‖init‖.
 *
 * <p>Requests are optimised side by side in one batched pass: each has its own offsets and its own loss
 * term, the total loss is their sum, so each offset's gradient is its own request's gradient and Adam
 * (element-wise) moves it exactly as it would alone. A request stops (its offsets frozen) once its mean
 * target probability reaches stop_prob, as upstream stops one request's loop.
 */
public final class TargetOptimization {
    public static final String KL_PROMPT = "{} is a";
    /** Requests per batched optimisation (bounds the [rows, tokens, vocab] logits). */
    static final int REQUESTS_PER_PASS = 64;

    /** One optimised offset. {@code rewritingOnly}: not added in the KL prompt (JEEP's δ*). */
    public record Offset(String point, KeyValues.Site site, boolean rewritingOnly, double decay, double clamp) {}

    /** Per-step values for live curves (means over the requests still optimising). */
    @FunctionalInterface
    public interface Curve {
        void step(int request, int step, double nll, double kl, double deltaNorm, double targetProb);
    }

    /**
     * Targets per offset, float32 [width]: the value of the offset's point in the plain prompt at the last
     * step with every offset applied, i.e. init + δ for a point no other offset feeds (δ′, MEMIT's δ), and
     * a_{δ′} + δ* for JEEP's attention point, which δ′ upstream also moves.
     */
    public record Result(NDArray[] targets, NDArray[] initial, int steps, double nll, double kl, double targetProb) {}

    private static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private TargetOptimization() {}

    /** One request. */
    public static Result optimise(NDManager m, TransformerModel model, EditRequest req, EditHparams hp, List<String> prefixes,
                                  List<Offset> offsets, Curve curve, BooleanSupplier cancelled) {
        return optimiseAll(m, model, List.of(req), hp, prefixes, offsets, curve, cancelled).get(0);
    }

    /** Every request, {@link #REQUESTS_PER_PASS} at a time; curves report the chunk's first request index. */
    public static List<Result> optimiseAll(NDManager m, TransformerModel model, List<EditRequest> reqs, EditHparams hp,
                                           List<String> prefixes, List<Offset> offsets, Curve curve, BooleanSupplier cancelled) {
        List<Result> out = new ArrayList<>();
        // autograd only inside the gradient collector, on any thread (a worker thread starts with it on)
        try (GradMode off = GradMode.off()) {
        for (int from = 0; from < reqs.size(); from += REQUESTS_PER_PASS) {
            int first = from;
            out.addAll(chunk(m, model, reqs.subList(from, Math.min(reqs.size(), from + REQUESTS_PER_PASS)), hp, prefixes, offsets,
                    curve == null ? null : (r, s, nll, kl, norm, p) -> curve.step(first + r, s, nll, kl, norm, p), cancelled));
        }
        }
        return out;
    }

    private static List<Result> chunk(NDManager m, TransformerModel model, List<EditRequest> reqs, EditHparams hp, List<String> prefixes,
                                      List<Offset> offsets, Curve curve, BooleanSupplier cancelled) {
        int nReq = reqs.size(), per = prefixes.size() + 1;
        PromptRows rows = new PromptRows();
        for (EditRequest r : reqs) {
            for (String p : prefixes) rows.add(model, p, r.prompt(), r.subject(), r.targetNew());
            rows.add(model, "", KL_PROMPT, r.subject(), null);
        }
        int b = rows.size();
        float[] owner = new float[b * nReq], rewriting = new float[b], klRow = new float[b];
        for (int i = 0; i < b; i++) {
            owner[i * nReq + i / per] = 1;
            if (i % per == per - 1) klRow[i] = 1; else rewriting[i] = 1;
        }
        int n = offsets.size();
        try (NDManager scope = m.newSubManager()) {
            NDArray ids = rows.ids(scope), mask = rows.mask(scope);
            NDArray[] answer = rows.answerTargets(scope);
            NDArray rowOf = PromptRows.own(scope.create(owner, new Shape(b, nReq)));                       // one-hot row → request
            NDArray rewMask = PromptRows.own(scope.create(rewriting, new Shape(b)));
            NDArray klMask = PromptRows.own(scope.create(klRow, new Shape(b)));
            Positions subjectSites = Positions.perRow(rows.subjectLast());
            NDArray[] init = new NDArray[n];
            long[] firstRow = new long[nReq];  // int64: an int32 index array is misread by indexing
            for (int r = 0; r < nReq; r++) firstRow[r] = r * per;
            NDArray pick = PromptRows.own(scope.create(firstRow));
            NDArray klInit;
            long[] klRows = new long[nReq];
            for (int r = 0; r < nReq; r++) klRows[r] = r * per + per - 1;
            NDArray klIdx = PromptRows.own(scope.create(klRows));
            try (GradMode off = GradMode.off(); NDManager pass = scope.newSubManager()) {
                Taps taps = Taps.create();
                for (Offset o : offsets) taps.record(o.point(), positions(rows, o.site()));
                taps.record(Taps.LOGITS, subjectSites);
                model.forward(pass, ids, mask, taps);
                for (int k = 0; k < n; k++) {
                    NDArray rec = taps.recorded(offsets.get(k).point()).squeeze(1).toType(DataType.FLOAT32, false);
                    init[k] = rec.get(pick);
                    init[k].attach(scope);
                }
                klInit = taps.recorded(Taps.LOGITS).squeeze(1).logSoftmax(1);
                klInit.attach(scope);
            }
            NDArray klInitRows = klInit.get(klIdx);
            long width = init[0].getShape().get(1);
            NDArray[] delta = new NDArray[n], mom = new NDArray[n], vel = new NDArray[n], initNorm = new NDArray[n], reached = new NDArray[n];
            for (int k = 0; k < n; k++) {
                delta[k] = scope.zeros(new Shape(nReq, width));
                mom[k] = delta[k].zerosLike();
                vel[k] = delta[k].zerosLike();
                initNorm[k] = init[k].norm(new int[] {1});                                  // [m]
                reached[k] = init[k].duplicate();
            }
            float[] active = new float[nReq];
            java.util.Arrays.fill(active, 1);
            int[] steps = new int[nReq];
            double[] nll = new double[nReq], kl = new double[nReq], prob = new double[nReq];
            for (int it = 0; it < hp.steps(); it++) {
                if (cancelled.getAsBoolean()) throw new JobCancelledException();
                NDArray[] grads = new NDArray[n];
                NDArray activeArr = PromptRows.own(scope.create(active, new Shape(nReq)));
                boolean anyLeft;
                try (NDManager pass = scope.newSubManager()) {
                    NDArray[] leaf = new NDArray[n];
                    for (int k = 0; k < n; k++) {
                        leaf[k] = delta[k].duplicate();
                        leaf[k].attach(pass);
                        leaf[k].setRequiresGradient(true);
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Taps taps = Taps.create();
                        for (int k = 0; k < n; k++) {
                            Offset o = offsets.get(k);
                            // each request's offset repeated over its rows (rows are grouped by request); no
                            // one-hot product, which would spread one diverged request's NaN to every row
                            NDArray perRow = leaf[k].expandDims(1).broadcast(nReq, per, width).reshape(b, width);   // [B, W]
                            if (o.rewritingOnly()) perRow = perRow.mul(rewMask.reshape(b, 1));
                            taps.add(o.point(), perRow.reshape(b, 1, width), positions(rows, o.site()));
                        }
                        // recorded after the adds: the value each offset's point takes with every offset applied
                        for (Offset o : offsets) taps.record(o.point(), positions(rows, o.site()));
                        taps.record(Taps.LOGITS, subjectSites);
                        NDArray logits = model.forward(pass, ids, mask, taps);
                        try (GradMode off = GradMode.off()) {
                            NDArray act = activeArr.reshape(nReq, 1);
                            for (int k = 0; k < n; k++) {
                                NDArray now = taps.recorded(offsets.get(k).point()).squeeze(1).stopGradient().toType(DataType.FLOAT32, false).get(pick);
                                NDArray kept = reached[k].mul(act.neg().add(1)).add(now.mul(act));
                                kept.attach(scope);
                                replace(reached, k, kept);
                            }
                        }
                        NDArray logp = logits.logSoftmax(2);
                        NDArray picked = logp.gather(answer[0].expandDims(2), 2).squeeze(2);      // [B, T]
                        NDArray nllRow = picked.mul(answer[1]).sum(new int[] {1}).neg();          // [B]
                        NDArray nllReq = nllRow.reshape(nReq, per).get(":, 0:" + (per - 1)).mean(new int[] {1});
                        NDArray probReq = nllRow.neg().exp().reshape(nReq, per).get(":, 0:" + (per - 1)).mean(new int[] {1});
                        NDArray cur = taps.recorded(Taps.LOGITS).squeeze(1).logSoftmax(1);        // [B, V]
                        // only the KL rows: a masked product would turn an overflow in another row into NaN
                        NDArray curKl = cur.get(klIdx);
                        NDArray klReq = curKl.exp().mul(curKl.sub(klInitRows)).sum(new int[] {1});      // [m]
                        // Scalars, not mul(Number): backward reads the factor, and DJL frees a Number operand when the op returns
                        NDArray lossReq = nllReq.add(Scalars.times(klReq, hp.klFactor()));
                        for (int k = 0; k < n; k++)
                            lossReq = lossReq.add(Scalars.times(leaf[k].norm(new int[] {1}).div(initNorm[k].square()), offsets.get(k).decay()));
                        float[] nl = nllReq.toFloatArray(), kv = klReq.toFloatArray(), pr = probReq.toFloatArray();
                        double norm = 0, sn = 0, sk = 0, sp = 0;
                        int live = 0;
                        float[][] dn = new float[n][];
                        for (int k = 0; k < n; k++) dn[k] = delta[k].norm(new int[] {1}).toFloatArray();
                        for (int r = 0; r < nReq; r++) {
                            if (active[r] == 0) continue;
                            nll[r] = nl[r]; kl[r] = kv[r]; prob[r] = pr[r]; steps[r] = it + 1;
                            double sq = 0;
                            for (int k = 0; k < n; k++) sq += (double) dn[k][r] * dn[k][r];
                            norm += Math.sqrt(sq); sn += nl[r]; sk += kv[r]; sp += pr[r];
                            live++;
                            if (pr[r] >= hp.stopProb()) active[r] = 0;
                        }
                        if (curve != null && live > 0) curve.step(0, it + 1, sn / live, sk / live, norm / live, sp / live);
                        anyLeft = false;
                        for (float a : active) anyLeft |= a > 0;
                        if (!anyLeft || it == hp.steps() - 1) break;
                        activeArr = PromptRows.own(scope.create(active, new Shape(nReq)));
                        gc.backward(lossReq.mul(activeArr).sum());
                        for (int k = 0; k < n; k++) {
                            grads[k] = leaf[k].getGradient().duplicate();
                            grads[k].attach(scope);
                        }
                    }
                }
                try (GradMode off = GradMode.off()) {
                    double c1 = 1 - Math.pow(BETA1, it + 1), c2 = 1 - Math.pow(BETA2, it + 1);
                    NDArray act = activeArr.reshape(nReq, 1);
                    for (int k = 0; k < n; k++) {
                        NDArray g = grads[k];
                        // frozen requests keep their δ and Adam state (as if their loop had ended)
                        replace(mom, k, mom[k].add(mom[k].mul(BETA1 - 1).add(g.mul(1 - BETA1)).mul(act)));
                        replace(vel, k, vel[k].add(vel[k].mul(BETA2 - 1).add(g.square().mul(1 - BETA2)).mul(act)));
                        NDArray upd = mom[k].div(c1).div(vel[k].div(c2).sqrt().add(EPS)).mul(hp.lr()).mul(act);
                        NDArray next = delta[k].sub(upd);
                        NDArray max = initNorm[k].mul(offsets.get(k).clamp());
                        NDArray now = next.norm(new int[] {1});
                        NDArray scale = max.div(now.maximum(1e-12f)).minimum(1f);             // projection onto the norm ball
                        replace(delta, k, next.mul(scale.reshape(nReq, 1)));
                        g.close();
                    }
                }
            }
            List<Result> out = new ArrayList<>();
            for (int r = 0; r < nReq; r++) {
                NDArray[] z = new NDArray[n], i0 = new NDArray[n];
                for (int k = 0; k < n; k++) {
                    z[k] = reached[k].get(r).duplicate();       // a copy: get(r) is a view into an array the scope frees
                    z[k].attach(m);
                    i0[k] = init[k].get(r).duplicate();
                    i0[k].attach(m);
                }
                out.add(new Result(z, i0, steps[r], nll[r], kl[r], prob[r]));
            }
            return out;
        }
    }

    private static void replace(NDArray[] arr, int k, NDArray next) {
        NDArray old = arr[k];
        arr[k] = next;
        if (old != next) old.close();
    }

    private static Positions positions(PromptRows rows, KeyValues.Site site) {
        return Positions.perRow(site == KeyValues.Site.SUBJECT_LAST ? rows.subjectLast() : rows.promptLast());
    }
}
