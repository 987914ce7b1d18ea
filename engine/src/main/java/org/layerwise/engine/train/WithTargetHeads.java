package org.layerwise.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.SafetensorsFile;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.checkpoint.TensorInfo;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.TokenModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A {@link TokenModel} with the heads of its targets: the classifiers of the sentence-level targets (cls, sp; see
 * {@link SentenceHead}) and the MLM transform head of target mlm ({@link MlmHead}). The heads train with the model
 * ({@link #parameters} lists the model's weights then {@code target.<t>.*}) and are saved with it, the model's own
 * folder plus {@value #FILE} beside it, so a training checkpoint resumes with them and a saved model opens again with
 * {@link #load}. Hidden states are the model's; vocabulary logits go through the MLM head when there is one (what
 * masked language modelling trained), else they are the model's.
 */
public final class WithTargetHeads implements TokenModel {
    /** The heads' file in the model folder. */
    public static final String FILE = "target_heads.safetensors";
    private static final String CLASSES_KEY = "classes";
    private static final String MLM_KEY = "mlm";

    private final TokenModel model;
    private final NDManager manager;
    private final Map<String, NDArray> heads;
    private final Map<String, Integer> classes;
    private final MlmHead.Settings mlm;     // null without an MLM head

    private WithTargetHeads(TokenModel model, NDManager manager, Map<String, NDArray> heads, Map<String, Integer> classes,
                            MlmHead.Settings mlm) {
        this.model = model;
        this.manager = manager;
        this.heads = heads;
        this.classes = classes;
        this.mlm = mlm;
    }

    /**
     * Fresh heads for {@code classes} (target name → number of classes), on the model's device: dense and output
     * weights drawn from N(0, std²) with {@code seed}, biases zero (BERT's initialisation).
     * The wrapper takes over the model (closing it closes the model).
     */
    public static WithTargetHeads create(TokenModel model, Map<String, Integer> classes, long seed, double std) {
        return create(model, classes, null, seed, std);
    }

    /**
     * Fresh heads for the sentence-level {@code classes} and, unless {@code mlm} is null, an MLM head: its dense
     * weight drawn from N(0, std²) after the sentence heads' weights, its biases zero and LayerNorm weight one
     * (BERT's initialisation). The wrapper takes over the model (closing it closes the model).
     */
    public static WithTargetHeads create(TokenModel model, Map<String, Integer> classes, MlmHead.Settings mlm, long seed, double std) {
        if (classes.isEmpty() && mlm == null)
            throw new IllegalArgumentException("Give at least one target with a head (mlm, cls or sp)");
        NDManager m = NDManager.newBaseManager(model.djlDevice());
        Map<String, NDArray> heads = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        int d = model.width();
        for (Map.Entry<String, Integer> e : classes.entrySet()) {
            int n = e.getValue();
            if (n < 2) throw new IllegalArgumentException("target " + e.getKey() + " needs at least 2 classes, not " + n);
            String[] names = SentenceHead.names(e.getKey());
            heads.put(names[0], normal(m, random, std, d, d));
            heads.put(names[1], m.zeros(new Shape(d), DataType.FLOAT32));
            heads.put(names[2], normal(m, random, std, n, d));
            heads.put(names[3], m.zeros(new Shape(n), DataType.FLOAT32));
        }
        if (mlm != null) {
            heads.put(MlmHead.NAMES[0], normal(m, random, std, d, d));
            heads.put(MlmHead.NAMES[1], m.zeros(new Shape(d), DataType.FLOAT32));
            heads.put(MlmHead.NAMES[2], m.ones(new Shape(d), DataType.FLOAT32));
            heads.put(MlmHead.NAMES[3], m.zeros(new Shape(d), DataType.FLOAT32));
            heads.put(MlmHead.NAMES[4], m.zeros(new Shape(model.vocabSize()), DataType.FLOAT32));
        }
        return new WithTargetHeads(model, m, heads, new LinkedHashMap<>(classes), mlm);
    }

    private static NDArray normal(NDManager m, SplittableRandom random, double std, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (random.nextGaussian() * std);
        return m.create(v, new Shape(rows, cols));
    }

    /** Whether {@code dir} holds saved heads. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * The heads saved in {@code dir} on top of {@code model} (loaded from the same folder). Every recorded head's
     * tensors must be present with the shapes the model's width, vocabulary and the recorded class counts give;
     * otherwise the message names the tensor, and the model is closed.
     */
    public static WithTargetHeads load(TokenModel model, Path dir) throws CheckpointException {
        Path file = dir.resolve(FILE);
        NDManager m = NDManager.newBaseManager(model.djlDevice());
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            String mlmText = st.metadata().get(MLM_KEY);
            MlmHead.Settings mlm = null;
            if (mlmText != null) {
                try {
                    mlm = MlmHead.Settings.parse(mlmText);
                } catch (IllegalArgumentException e) {
                    throw new CheckpointException(file + ": metadata \"" + MLM_KEY + "\" must read activation,eps (e.g. gelu,1e-12), not '"
                            + mlmText + "': " + e.getMessage());
                }
            }
            Map<String, Integer> classes = parseClasses(file, st.metadata().get(CLASSES_KEY), mlm != null);
            Map<String, NDArray> heads = new LinkedHashMap<>();
            int d = model.width();
            for (Map.Entry<String, Integer> e : classes.entrySet()) {
                String[] names = SentenceHead.names(e.getKey());
                long[][] shapes = {{d, d}, {d}, {e.getValue(), d}, {e.getValue()}};
                for (int i = 0; i < names.length; i++)
                    heads.put(names[i], tensor(st, file, m, model.djlDevice(), names[i], shapes[i], e.getKey(),
                            "width " + d + ", " + e.getValue() + " classes"));
            }
            if (mlm != null) {
                long[][] shapes = {{d, d}, {d}, {d}, {d}, {model.vocabSize()}};
                for (int i = 0; i < MlmHead.NAMES.length; i++)
                    heads.put(MlmHead.NAMES[i], tensor(st, file, m, model.djlDevice(), MlmHead.NAMES[i], shapes[i], "mlm",
                            "width " + d + ", vocabulary " + model.vocabSize()));
            }
            for (String n : st.tensors().keySet())
                if (!heads.containsKey(n))
                    throw new CheckpointException(file + " has an unexpected tensor " + n + " (heads recorded: " + targets(classes, mlm) + ")");
            for (NDArray a : heads.values()) a.attach(m);
            return new WithTargetHeads(model, m, heads, classes, mlm);
        } catch (CheckpointException | RuntimeException e) {
            m.close();
            model.close();
            throw e;
        }
    }

    /** Tensor {@code name} of target {@code target}'s head, which must be in the file with {@code shape} (from {@code sizes}). */
    private static NDArray tensor(SafetensorsFile st, Path file, NDManager m, Device device, String name, long[] shape,
                                  String target, String sizes) throws CheckpointException {
        TensorInfo info = st.tensors().get(name);
        if (info == null)
            throw new CheckpointException(file + " has no tensor " + name + " (the " + target
                    + " head); the file is damaged or was written for another model: retrain or restore it");
        if (!Arrays.equals(info.shape(), shape))
            throw new CheckpointException(file + ": " + name + " has shape " + Arrays.toString(info.shape())
                    + ", expected " + Arrays.toString(shape) + " (" + sizes + ")");
        return st.load(name, m, DataType.FLOAT32).toDevice(device, false);
    }

    private static List<String> targets(Map<String, Integer> classes, MlmHead.Settings mlm) {
        List<String> out = new ArrayList<>();
        if (mlm != null) out.add("mlm");
        out.addAll(classes.keySet());
        return out;
    }

    /** "cls:3,sp:2" → {cls=3, sp=2}; blank (no sentence heads) only beside an MLM head. */
    private static Map<String, Integer> parseClasses(Path file, String text, boolean hasMlm) throws CheckpointException {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (hasMlm && text != null && text.isBlank()) return out;
        if (text == null || text.isBlank())
            throw new CheckpointException(file + " does not record its heads (metadata \"" + CLASSES_KEY + "\"); it was not written by Layerwise");
        for (String part : text.split(",")) {
            String[] kv = part.split(":");
            try {
                if (kv.length != 2) throw new NumberFormatException(part);
                out.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new CheckpointException(file + ": metadata \"" + CLASSES_KEY + "\" must read target:classes,…, not '" + text + "'");
            }
        }
        return out;
    }

    /** The head of sentence-level target {@code t}. */
    public SentenceHead head(String t) {
        if (!classes.containsKey(t))
            throw new IllegalArgumentException("The model has no " + t + " head (it has " + classes.keySet() + ")");
        String[] n = SentenceHead.names(t);
        return new SentenceHead(t, heads.get(n[0]), heads.get(n[1]), heads.get(n[2]), heads.get(n[3]));
    }

    /** The MLM head, or null when the model has none. */
    public MlmHead mlmHead() {
        if (mlm == null) return null;
        return new MlmHead(model, heads.get(MlmHead.NAMES[0]), heads.get(MlmHead.NAMES[1]), heads.get(MlmHead.NAMES[2]),
                heads.get(MlmHead.NAMES[3]), heads.get(MlmHead.NAMES[4]), mlm.activation(), mlm.eps());
    }

    /** The targets that have a head here: mlm (when it has one), then the sentence-level targets. */
    public List<String> headTargets() { return targets(classes, mlm); }

    /** Target name → classes of every sentence-level head. */
    public Map<String, Integer> classes() { return Map.copyOf(classes); }

    /** The model under the heads. */
    public TokenModel model() { return model; }

    /** Parameters of the heads alone. */
    public long headParameterCount() {
        long n = 0;
        for (NDArray a : heads.values()) n += a.getShape().size();
        return n;
    }

    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> all = new LinkedHashMap<>(model.parameters());
        for (Map.Entry<String, NDArray> e : heads.entrySet())
            if (all.put(e.getKey(), e.getValue()) != null)
                throw new IllegalStateException("The model already has a parameter named " + e.getKey());
        return all;
    }

    /** The model's folder (its own save) with {@value #FILE} written into it before the folder is moved into place. */
    @Override
    public void save(Path dir) throws CheckpointException {
        StringBuilder recorded = new StringBuilder();
        for (Map.Entry<String, Integer> e : classes.entrySet())
            recorded.append(recorded.length() == 0 ? "" : ",").append(e.getKey()).append(':').append(e.getValue());
        try {
            AtomicFiles.writeDirectory(dir, out -> {
                try {
                    model.save(out);
                    Map<String, String> metadata = new LinkedHashMap<>();
                    metadata.put(CLASSES_KEY, recorded.toString());
                    if (mlm != null) metadata.put(MLM_KEY, mlm.recorded());
                    SafetensorsWriter.write(out.resolve(FILE), heads, metadata);
                } catch (CheckpointException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        } catch (IOException e) {
            throw new CheckpointException("could not save " + name() + " with its target heads to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override public String name() { return model.name(); }
    @Override public DataType dataType() { return model.dataType(); }
    @Override public Device djlDevice() { return model.djlDevice(); }
    @Override public boolean bidirectional() { return model.bidirectional(); }
    @Override public int vocabSize() { return model.vocabSize(); }
    @Override public int width() { return model.width(); }
    @Override public int maxPositions() { return model.maxPositions(); }

    @Override
    public NDArray hidden(NDManager scope, NDArray ids, NDArray mask, NDArray segments) {
        return model.hidden(scope, ids, mask, segments);
    }

    @Override
    public NDArray logits(NDManager scope, NDArray hidden) {
        MlmHead h = mlmHead();
        return h == null ? model.logits(scope, hidden) : h.logits(scope, hidden);
    }

    @Override
    public void close() {
        manager.close();
        model.close();
    }
}
