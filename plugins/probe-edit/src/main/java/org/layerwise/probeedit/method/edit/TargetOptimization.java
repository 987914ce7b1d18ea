package org.layerwise.probeedit.method.edit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Positions;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Upstream compute_z, generalised to several offsets optimised together (JEEP's δ′ and δ*, PMET's attention
 * and MLP offsets): each offset is added at one tap point at one site of every rewriting prompt; the loss is
 * the mean NLL of the new answer's tokens + kl_factor·KL(P_δ ‖ P_0) at the last subject token of the
 * "{} is a" prompt + Σ decay·‖δ‖/‖init‖²; Adam; after each step each ‖δ‖ is clamped to clamp·‖init‖.
 */
public final class TargetOptimization {
    public static final String KL_PROMPT = "{} is a";

    /** One optimised offset. {@code rewritingOnly}: not added in the KL prompt (JEEP's δ*). */
    public record Offset(String point, KeyValues.Site site, boolean rewritingOnly, double decay, double clamp) {}

    /** Per-step values for live curves. */
    @FunctionalInterface
    public interface Curve {
        void step(int step, double nll, double kl, double deltaNorm, double targetProb);
    }

    /** Targets z = init + δ per offset (float32 [width], attached to the caller's manager). */
    public record Result(NDArray[] targets, NDArray[] initial, int steps, double nll, double kl, double targetProb) {}

    private static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private TargetOptimization() {}

    public static Result optimise(NDManager m, TransformerModel model, EditRequest req, EditHparams hp, List<String> prefixes,
                                  List<Offset> offsets, Curve curve, BooleanSupplier cancelled) {
        PromptRows rows = new PromptRows();
        for (String p : prefixes) rows.add(model, p, req.prompt(), req.subject(), req.targetNew());
        int rewriting = rows.size();
        PromptRows.Row klRow = rows.add(model, "", KL_PROMPT, req.subject(), null);
        int b = rows.size();
        try (NDManager scope = m.newSubManager()) {
            NDArray ids = rows.ids(scope), mask = rows.mask(scope);
            NDArray[] answer = rows.answerTargets(scope);
            NDArray onlyRewriting = scope.create(rowMask(b, rewriting), new Shape(b, 1, 1));
            int n = offsets.size();
            NDArray[] init = new NDArray[n];
            NDArray klInit;
            try (GradMode off = GradMode.off(); NDManager pass = scope.newSubManager()) {
                Taps taps = Taps.create();
                for (Offset o : offsets) taps.record(o.point(), positions(rows, o.site()));
                NDArray logits = model.forward(pass, ids, mask, taps);
                for (int k = 0; k < n; k++) {
                    init[k] = taps.recorded(offsets.get(k).point()).get(0, 0).toType(DataType.FLOAT32, true);
                    init[k].attach(scope);
                }
                klInit = logits.get(b - 1, klRow.subjectLast()).logSoftmax(0);
                klInit.attach(scope);
            }
            long width = init[0].getShape().get(0);
            NDArray[] delta = new NDArray[n], mom = new NDArray[n], vel = new NDArray[n];
            double[] initNorm = new double[n];
            for (int k = 0; k < n; k++) {
                delta[k] = scope.zeros(new Shape(init[k].getShape().get(0)));
                mom[k] = delta[k].zerosLike();
                vel[k] = delta[k].zerosLike();
                initNorm[k] = init[k].norm().getFloat();
            }
            double nll = Double.NaN, kl = Double.NaN, prob = Double.NaN;
            int step = 0;
            for (int it = 0; it < hp.steps(); it++) {
                if (cancelled.getAsBoolean()) throw new JobCancelledException();
                step = it + 1;
                NDArray[] grads = new NDArray[n];
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
                            NDArray v = o.rewritingOnly() ? onlyRewriting.mul(leaf[k].reshape(1, 1, width)) : leaf[k];
                            taps.add(o.point(), v, positions(rows, o.site()));
                        }
                        NDArray logits = model.forward(pass, ids, mask, taps);
                        NDArray logp = logits.logSoftmax(2);
                        NDArray picked = logp.gather(answer[0].expandDims(2), 2).squeeze(2);      // [B, T]
                        NDArray nllEach = picked.mul(answer[1]).sum(new int[] {1}).neg().get("0:" + rewriting);
                        NDArray nllMean = nllEach.mean();
                        NDArray cur = logp.get(b - 1, klRow.subjectLast());
                        NDArray klv = cur.exp().mul(cur.sub(klInit)).sum();
                        NDArray loss = nllMean.add(klv.mul(hp.klFactor()));
                        for (int k = 0; k < n; k++)
                            loss = loss.add(leaf[k].norm().mul(offsets.get(k).decay() / (initNorm[k] * initNorm[k])));
                        nll = nllMean.getFloat();
                        kl = klv.getFloat();
                        prob = nllEach.neg().exp().mean().getFloat();
                        double norm = 0;
                        for (int k = 0; k < n; k++) norm += Math.pow(delta[k].norm().getFloat(), 2);
                        if (curve != null) curve.step(step, nll, kl, Math.sqrt(norm), prob);
                        if (prob >= hp.stopProb() || it == hp.steps() - 1) break;
                        gc.backward(loss);
                        for (int k = 0; k < n; k++) {
                            grads[k] = leaf[k].getGradient().duplicate();
                            grads[k].attach(scope);
                        }
                    }
                }
                try (GradMode off = GradMode.off()) {
                    double c1 = 1 - Math.pow(BETA1, step), c2 = 1 - Math.pow(BETA2, step);
                    for (int k = 0; k < n; k++) {
                        NDArray g = grads[k];
                        replace(mom, k, mom[k].mul(BETA1).add(g.mul(1 - BETA1)));
                        replace(vel, k, vel[k].mul(BETA2).add(g.square().mul(1 - BETA2)));
                        NDArray upd = mom[k].div(c1).div(vel[k].div(c2).sqrt().add(EPS)).mul(hp.lr());
                        NDArray next = delta[k].sub(upd);
                        upd.close();
                        double max = offsets.get(k).clamp() * initNorm[k], now = next.norm().getFloat();
                        if (now > max) next = next.mul(max / now);       // projection onto the norm ball
                        replace(delta, k, next);
                        g.close();
                    }
                }
            }
            NDArray[] z = new NDArray[n];
            for (int k = 0; k < n; k++) {
                z[k] = init[k].add(delta[k]);
                z[k].attach(m);
                init[k].attach(m);
            }
            return new Result(z, init, step, nll, kl, prob);
        }
    }

    private static void replace(NDArray[] arr, int k, NDArray next) {
        NDArray old = arr[k];
        arr[k] = next;
        if (old != next) old.close();
    }

    private static float[] rowMask(int b, int rewriting) {
        float[] f = new float[b];
        for (int i = 0; i < rewriting; i++) f[i] = 1;
        return f;
    }

    private static Positions positions(PromptRows rows, KeyValues.Site site) {
        return Positions.perRow(site == KeyValues.Site.SUBJECT_LAST ? rows.subjectLast() : rows.promptLast());
    }
}
