package org.layerwise.probeedit.method.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.TransformerModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Edits applied to one loaded model, in order, each revertible. Before an edit runs, copies of the
 * parameters it writes are kept. Later edits were computed on the weights an earlier one made, so reverting
 * an edit restores the weights from before it and drops the edits after it too. A cancelled or failed edit
 * restores the copies, so the model is left as it was.
 */
public final class EditSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One applied edit: what was asked, how, and the weights as they were before it. */
    public record AppliedEdit(int number, EditMethod method, String presetName, List<EditRequest> requests, EditOutcome outcome,
                              Map<String, NDArray> before) {
        public String label() {
            EditRequest r = requests.get(0);
            return "#" + number + " " + method.id() + ": " + r.text() + " → " + r.targetNew()
                    + (requests.size() > 1 ? " (+" + (requests.size() - 1) + " more)" : "");
        }
    }

    private final TransformerModel model;
    private final Covariance covariance;
    private final NDManager keep;
    private final List<AppliedEdit> applied = new ArrayList<>();
    private int counter;

    public EditSession(TransformerModel model, Covariance covariance) {
        this.model = model;
        this.covariance = covariance;
        this.keep = model.parameters().values().iterator().next().getManager().newSubManager();
    }

    public TransformerModel model() { return model; }

    public synchronized List<AppliedEdit> applied() { return List.copyOf(applied); }

    /** Applies {@code requests} as one batch; on cancellation or failure the weights are restored. */
    public AppliedEdit apply(List<EditRequest> requests, EditHparams hp, String presetName, EditListener listener, BooleanSupplier cancelled) {
        Map<String, NDArray> before = snapshot(Editor.touchedParameters(hp));
        try {
            EditOutcome outcome = new Editor(model, hp, covariance, listener, cancelled).apply(requests);
            AppliedEdit e;
            synchronized (this) {
                e = new AppliedEdit(++counter, hp.editMethod(), presetName, List.copyOf(requests), outcome, before);
                applied.add(e);
            }
            return e;
        } catch (RuntimeException | Error failure) {
            restore(before);
            before.values().forEach(NDArray::close);
            throw failure;
        }
    }

    /** Applies each request as its own edit, in order. */
    public List<AppliedEdit> applySequentially(List<EditRequest> requests, EditHparams hp, String presetName, EditListener listener,
                                               BooleanSupplier cancelled) {
        List<AppliedEdit> out = new ArrayList<>();
        for (EditRequest r : requests) out.add(apply(List.of(r), hp, presetName, listener, cancelled));
        return out;
    }

    /**
     * Reverts {@code edit} and every edit applied after it (they were computed on the weights it made):
     * the weights become bit-for-bit those before it. Returns the edits removed.
     */
    public synchronized List<AppliedEdit> revert(AppliedEdit edit) {
        int at = applied.indexOf(edit);
        if (at < 0) throw new IllegalArgumentException("edit " + edit.label() + " is not applied in this session");
        List<AppliedEdit> removed = new ArrayList<>(applied.subList(at, applied.size()));
        for (int i = removed.size() - 1; i >= 0; i--) {
            restore(removed.get(i).before());
            removed.get(i).before().values().forEach(NDArray::close);
        }
        applied.subList(at, applied.size()).clear();
        return removed;
    }

    public synchronized void revertAll() {
        if (!applied.isEmpty()) revert(applied.get(0));
    }

    /** SHA-256 over every parameter's name, shape, dtype and bytes, in name order. */
    public static String checksum(TransformerModel model) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, NDArray> e : new TreeMap<>(model.parameters()).entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(e.getValue().getShape().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(e.getValue().getDataType().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ByteBuffer b = e.getValue().toByteBuffer();
                md.update(b);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Saves the edited model as a checkpoint folder with {@code edit_log.json} (the applied edits). */
    public synchronized void save(Path dir) throws CheckpointException, IOException {
        model.save(dir);
        AtomicFiles.writeString(dir.resolve("edit_log.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(log()));
    }

    /** The applied edits as JSON: method, preset, requests, fit and z error of each. */
    public synchronized ObjectNode log() {
        ObjectNode root = JSON.createObjectNode();
        root.put("base_model", model.directory() == null ? model.name() : model.directory().toString());
        ArrayNode edits = root.putArray("edits");
        for (AppliedEdit e : applied) {
            ObjectNode n = edits.addObject();
            n.put("number", e.number());
            n.put("method", e.method().id());
            n.put("preset", e.presetName());
            n.put("seconds", e.outcome().seconds());
            n.set("layers", JSON.valueToTree(e.outcome().layers()));
            n.set("z_error", JSON.valueToTree(e.outcome().zError()));
            ArrayNode reqs = n.putArray("requests");
            for (int i = 0; i < e.requests().size(); i++) {
                EditRequest r = e.requests().get(i);
                ObjectNode q = reqs.addObject();
                q.put("case_id", r.caseId()).put("prompt", r.prompt()).put("subject", r.subject())
                        .put("target_new", r.targetNew()).put("target_true", r.targetTrue());
                EditOutcome.RequestFit f = e.outcome().fits().get(i);
                q.put("steps", f.steps()).put("nll", f.nll()).put("target_prob", f.targetProb());
            }
        }
        return root;
    }

    private Map<String, NDArray> snapshot(List<String> names) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String n : names) {
            NDArray copy = model.parameter(n).duplicate();
            copy.attach(keep);
            out.put(n, copy);
        }
        return out;
    }

    private void restore(Map<String, NDArray> before) {
        for (Map.Entry<String, NDArray> e : before.entrySet()) model.setParameter(e.getKey(), e.getValue());
    }

    @Override
    public synchronized void close() {
        keep.close();
    }
}
