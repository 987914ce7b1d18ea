package org.layerwise.probeedit.method.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.WeightLayout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Applies a batch of edit requests with ROME, MEMIT, PMET or JEEP (upstream execute_rome / execute_memit
 * and JEEP's two-region variant). Writes the MLP output projections of the edited layers in place through
 * {@link TransformerModel#setParameter}; the caller keeps the originals to revert or to undo a cancelled edit.
 */
public final class Editor {
    /** Above this width the Woodbury form with a cached (λC)⁻¹ replaces the direct d_ff² solve. */
    static final long DIRECT_SOLVE_MAX_WIDTH = 4096;

    private final TransformerModel model;
    private final EditHparams hp;
    private final Covariance covariance;
    private final EditListener listener;
    private final BooleanSupplier cancelled;

    public Editor(TransformerModel model, EditHparams hp, Covariance covariance, EditListener listener, BooleanSupplier cancelled) {
        this.model = model;
        this.hp = hp;
        this.covariance = covariance;
        this.listener = listener == null ? EditListener.NONE : listener;
        this.cancelled = cancelled == null ? () -> false : cancelled;
    }

    /** The names of the parameters {@code hp} rewrites. */
    public static List<String> touchedParameters(EditHparams hp) {
        List<String> out = new ArrayList<>();
        for (int l : hp.layers()) out.add(WeightLayout.down(l) + ".weight");
        if (hp.editMethod() == EditMethod.JEEP) for (int l : hp.highLayers()) out.add(WeightLayout.down(l) + ".weight");
        return out;
    }

    public EditOutcome apply(List<EditRequest> requests) {
        try (GradMode off = GradMode.off()) {
            return applyWithoutAutograd(requests);
        }
    }

    private EditOutcome applyWithoutAutograd(List<EditRequest> requests) {
        if (requests.isEmpty()) throw new IllegalArgumentException("no edit requests");
        checkLayers();
        long start = System.nanoTime();
        EditMethod method = hp.editMethod();
        listener.stage(0, "generating context templates");
        List<String> prefixes = KeyValues.contextTemplates(model, hp.templateSeeds(), hp.templateLength());
        listener.log("context templates: " + prefixes);
        Map<String, double[]> zError = new LinkedHashMap<>();
        List<EditOutcome.RequestFit> fits = new ArrayList<>();
        try (NDManager m = model.parameter(WeightLayout.down(hp.layers()[0]) + ".weight").getManager().newSubManager()) {
            if (method == EditMethod.ROME) {
                for (int i = 0; i < requests.size(); i++) fits.add(rome(m, requests.get(i), i, requests.size(), prefixes, zError));
                double[] sum = zError.get("rome");
                zError.put("rome", new double[] {sum[0] / sum[2], sum[1] / sum[2]});
            } else {
                List<TargetOptimization.Offset> offsets = offsets(method);
                listener.stage(0, "optimising " + requests.size() + " targets");
                List<TargetOptimization.Result> results = TargetOptimization.optimiseAll(m, model, requests, hp, prefixes, offsets,
                        (i, s, nll, kl, norm, p) -> {
                            listener.step(i, s, nll, kl, norm, p);
                            listener.stage(0.8 * s / hp.steps(), "optimising targets: step " + s + ", target probability " + String.format(java.util.Locale.ROOT, "%.3f", p));
                        }, cancelled);
                List<NDArray[]> targets = new ArrayList<>();
                for (int i = 0; i < requests.size(); i++) {
                    TargetOptimization.Result res = results.get(i);
                    fits.add(new EditOutcome.RequestFit(requests.get(i).caseId(), res.steps(), res.nll(), res.kl(), res.targetProb()));
                    targets.add(res.targets());
                    for (NDArray a : res.initial()) a.close();
                }
                // a request whose optimisation diverged (non-finite target) would poison the joint solve: leave it out
                List<EditRequest> kept = new ArrayList<>();
                List<NDArray[]> keptTargets = new ArrayList<>();
                for (int i = 0; i < requests.size(); i++) {
                    boolean finite = true;
                    for (NDArray t : targets.get(i)) finite &= !t.isNaN().any().getBoolean() && !t.isInfinite().any().getBoolean();
                    if (finite) { kept.add(requests.get(i)); keptTargets.add(targets.get(i)); }
                    else listener.log("request " + requests.get(i).caseId() + ": the target optimisation diverged; left out of the update");
                }
                if (kept.isEmpty()) throw new IllegalStateException("every request's target optimisation diverged; lower v_lr or the clamp");
                final List<EditRequest> used = kept;
                NDArray lowZ = stack(keptTargets, method == EditMethod.PMET ? 1 : 0);          // [m, d]
                String lowPoint = method == EditMethod.MEMIT ? Taps.residPost(hp.lastLow()) : Taps.mlpOut(hp.lastLow());
                // the high region's reference values, read on the unedited model
                NDArray highA0 = null, highM0 = null;
                if (method == EditMethod.JEEP) {
                    highA0 = KeyValues.plain(m, model, used, Taps.attnOut(hp.lastHigh()), KeyValues.Site.PREDICTION);
                    highM0 = KeyValues.plain(m, model, used, Taps.mlpOut(hp.lastHigh()), KeyValues.Site.PREDICTION);
                }
                listener.stage(0.8, "updating the low region");
                zError.put("low", region(m, used, prefixes, hp.layers(), KeyValues.Site.SUBJECT_LAST, lowZ,
                        s -> KeyValues.plain(s, model, used, lowPoint, KeyValues.Site.SUBJECT_LAST),
                        method != EditMethod.MEMIT, hp.lambda()));
                if (method == EditMethod.JEEP) {
                    NDArray highZ = stack(keptTargets, 1);
                    NDArray a0 = highA0, m0 = highM0;
                    listener.stage(0.9, "updating the high region");
                    zError.put("high", region(m, used, prefixes, hp.highLayers(), KeyValues.Site.PREDICTION, highZ,
                            s -> {
                                NDArray mNow = KeyValues.plain(s, model, used, Taps.mlpOut(hp.lastHigh()), KeyValues.Site.PREDICTION);
                                if (hp.highResidual().equals("mlp")) return mNow;        // the released code's residual
                                NDArray aNow = KeyValues.plain(s, model, used, Taps.attnOut(hp.lastHigh()), KeyValues.Site.PREDICTION);
                                return aNow.add(mNow.sub(m0));                           // delivered so far: Δa + Δm over a0
                            }, false, hp.lambdaHigh()));
                }
                targets.forEach(t -> { for (NDArray a : t) a.close(); });
            }
        }
        List<Integer> layers = new ArrayList<>();
        for (String p : touchedParameters(hp)) layers.add(Integer.parseInt(p.split("\\.")[1]));
        listener.stage(1, "done");
        return new EditOutcome(method, fits, zError, layers, (System.nanoTime() - start) / 1e9);
    }

    private List<TargetOptimization.Offset> offsets(EditMethod method) {
        KeyValues.Site subj = KeyValues.Site.SUBJECT_LAST;
        switch (method) {
            case MEMIT:
                return List.of(new TargetOptimization.Offset(Taps.residPost(hp.lastLow()), subj, false, hp.weightDecay(), hp.clamp()));
            case PMET:
                return List.of(new TargetOptimization.Offset(Taps.attnOut(hp.lastLow()), subj, false, hp.weightDecayHigh(), hp.clampHigh()),
                        new TargetOptimization.Offset(Taps.mlpOut(hp.lastLow()), subj, false, hp.weightDecay(), hp.clamp()));
            case JEEP:
                return List.of(new TargetOptimization.Offset(Taps.mlpOut(hp.lastLow()), subj, false, hp.weightDecay(), hp.clamp()),
                        new TargetOptimization.Offset(Taps.attnOut(hp.lastHigh()), KeyValues.Site.PREDICTION, true,
                                hp.weightDecayHigh(), hp.clampHigh()));
            default:
                throw new IllegalStateException(method.name());
        }
    }

    private EditOutcome.RequestFit rome(NDManager m, EditRequest r, int index, int total, List<String> prefixes, Map<String, double[]> zError) {
        checkCancelled();
        int layer = hp.layers()[0];
        listener.stage((double) index / total, "ROME edit " + (index + 1) + "/" + total);
        TargetOptimization.Result res = TargetOptimization.optimise(m, model, r, hp, prefixes,
                List.of(new TargetOptimization.Offset(Taps.mlpOut(layer), KeyValues.Site.SUBJECT_LAST, false, hp.weightDecay(), hp.clamp())),
                (i, s, nll, kl, norm, p) -> listener.step(index, s, nll, kl, norm, p), cancelled);
        try (NDManager s = m.newSubManager(); GradMode off = GradMode.off()) {
            NDArray k = KeyValues.keys(s, model, List.of(r), layer, KeyValues.Site.SUBJECT_LAST, prefixes).reshape(-1);
            NDArray k0 = KeyValues.keys(s, model, List.of(r), layer, KeyValues.Site.SUBJECT_LAST, List.of("")).reshape(-1);
            NDArray cur = KeyValues.plain(s, model, List.of(r), Taps.mlpOut(layer), KeyValues.Site.SUBJECT_LAST).reshape(-1);
            NDArray target = res.targets()[0];
            target.attach(s);
            res.initial()[0].attach(s);
            NDArray residual = target.sub(cur);
            NDArray cInv = covariance.secondMoment(s, layer).inverse();
            checkCancelled();
            write(layer, LeastSquares.rankOne(cInv, k, k0, residual));
            NDArray after = KeyValues.plain(s, model, List.of(r), Taps.mlpOut(layer), KeyValues.Site.SUBJECT_LAST).reshape(-1);
            accumulate(zError, "rome", residual.norm().getFloat(), target.sub(after).norm().getFloat());
        }
        return new EditOutcome.RequestFit(r.caseId(), res.steps(), res.nll(), res.kl(), res.targetProb());
    }

    /** The value a region's residual is measured against, read on the current model. */
    private interface Current {
        NDArray read(NDManager m);
    }

    /**
     * Spreads z − current over {@code layers} (ascending): for layer i of n, r = R/sqrt(n−i) or R/(n−i);
     * returns the mean z error before and after.
     */
    private double[] region(NDManager m, List<EditRequest> requests, List<String> prefixes, int[] layers, KeyValues.Site site,
                            NDArray z, Current current, boolean sqrt, double lambda) {
        double before = Double.NaN;
        int n = layers.length;
        for (int i = 0; i < n; i++) {
            checkCancelled();
            int layer = layers[i];
            try (NDManager s = m.newSubManager(); GradMode off = GradMode.off()) {
                NDArray keys = KeyValues.keys(s, model, requests, layer, site, prefixes);             // [d_ff, m]
                NDArray cur = current.read(s);                                                      // [m, d]
                NDArray resid = z.sub(cur).transpose().toType(DataType.FLOAT64, false);             // [d, m]
                if (i == 0) before = meanNorm(resid);
                NDArray r = resid.div(sqrt ? Math.sqrt(n - i) : n - i);
                NDArray c = covariance.secondMoment(s, layer);
                NDArray adjusted = keys.getShape().get(0) <= DIRECT_SOLVE_MAX_WIDTH
                        ? LeastSquares.direct(c, keys, lambda)
                        : LeastSquares.woodbury(c.mul(lambda).inverse(), keys);
                checkCancelled();
                write(layer, LeastSquares.update(r, adjusted));
            }
        }
        double after;
        try (NDManager s = m.newSubManager()) {
            after = meanNorm(z.sub(current.read(s)).transpose());
        }
        listener.log(String.format(java.util.Locale.ROOT, "z error layers %s: %.4f → %.4f", java.util.Arrays.toString(layers), before, after));
        return new double[] {before, after};
    }

    private void write(int layer, NDArray delta) {
        String name = WeightLayout.down(layer) + ".weight";
        NDArray w = model.parameter(name);
        try (NDManager s = delta.getManager().newSubManager()) {
            NDArray next = w.toType(DataType.FLOAT64, true);
            next.attach(s);
            model.setParameter(name, next.add(delta).toType(w.getDataType(), false));
        }
    }

    private static double meanNorm(NDArray dByM) {
        return dByM.toType(DataType.FLOAT64, false).norm(new int[] {0}).mean().getDouble();
    }

    private static void accumulate(Map<String, double[]> z, String key, double before, double after) {
        double[] a = z.computeIfAbsent(key, k -> new double[3]);
        a[0] += before;
        a[1] += after;
        a[2] += 1;
        // mean so far
        z.put(key, a);
    }

    private static NDArray stack(List<NDArray[]> targets, int which) {
        NDList list = new NDList();
        for (NDArray[] t : targets) list.add(t[which]);
        return NDArrays.stack(list, 0);
    }

    private void checkLayers() {
        int layers = model.spec().layers();
        for (int l : hp.layers()) if (l < 0 || l >= layers)
            throw new IllegalArgumentException("hparams layer " + l + " does not exist; the model has layers 0.." + (layers - 1));
        for (int l : hp.highLayers()) if (l < 0 || l >= layers)
            throw new IllegalArgumentException("hparams high layer " + l + " does not exist; the model has layers 0.." + (layers - 1));
        if (hp.editMethod() == EditMethod.JEEP && hp.highLayers().length == 0)
            throw new IllegalArgumentException("JEEP needs high_layers in its hparams");
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) throw new JobCancelledException();
    }
}
