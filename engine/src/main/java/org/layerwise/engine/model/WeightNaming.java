package org.layerwise.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one family names its tensors in a Hugging Face checkpoint, mapped onto {@link WeightLayout}.
 * A layout tensor is stored as one or more parts (q, k and v are three tensors in GPT-J and LLaMA, one
 * fused {@code c_attn} in GPT-2) concatenated along rows; GPT-2's Conv1D matrices are stored [in, out]
 * and transposed once while loading, so the forward pass has one convention.
 */
final class WeightNaming {

    /** One layout tensor and the stored tensors it is made of. */
    record Entry(String layoutName, Shape layoutShape, List<String> parts, List<Shape> storedShapes, boolean conv1d) {}

    private final List<Entry> entries;

    private WeightNaming(List<Entry> entries) { this.entries = entries; }

    List<Entry> entries() { return entries; }

    /** Tensors checkpoints carry that are not parameters (attention-mask and rotary buffers). */
    static boolean isBuffer(String name) {
        return name.endsWith(".attn.bias") && !name.contains("c_attn") || name.endsWith(".attn.masked_bias")
                || name.endsWith("rotary_emb.inv_freq");
    }

    /**
     * The naming for {@code spec}'s model type. {@code storedNames} (may be null) lets GPT-2 names be read
     * with or without the {@code transformer.} prefix; writing always uses the prefix.
     */
    static WeightNaming of(TransformerSpec spec, Collection<String> storedNames) {
        Family f = family(spec, storedNames);
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, Shape> e : WeightLayout.shapes(spec).entrySet()) {
            String name = e.getKey();
            Shape shape = e.getValue();
            List<String> parts = new ArrayList<>();
            List<Long> rows = new ArrayList<>();
            boolean fusedQkv = name.contains(".attn.qkv.") && !f.fusedQkv;
            if (fusedQkv) {
                String suffix = name.substring(name.lastIndexOf('.'));                 // .weight / .bias
                int layer = layerOf(name);
                for (String p : new String[] {"q", "k", "v"}) parts.add(f.qkvPart(layer, p) + suffix);
                rows.add((long) spec.heads() * spec.headDim());
                rows.add((long) spec.kvHeads() * spec.headDim());
                rows.add((long) spec.kvHeads() * spec.headDim());
            } else {
                parts.add(f.stored(name));
                rows.add(shape.get(0));
            }
            boolean conv1d = f.conv1d && shape.dimension() == 2 && !name.startsWith("embed.")
                    && !name.startsWith("pos_embed.") && !name.startsWith(WeightLayout.SEGMENT_EMBEDDING + ".")
                    && !name.startsWith("lm_head.");
            List<Shape> stored = new ArrayList<>();
            for (long r : rows) {
                Shape part = shape.dimension() == 2 ? new Shape(r, shape.get(1)) : new Shape(r);
                stored.add(conv1d ? new Shape(part.get(1), part.get(0)) : part);
            }
            out.add(new Entry(name, shape, List.copyOf(parts), List.copyOf(stored), conv1d));
        }
        return new WeightNaming(List.copyOf(out));
    }

    /** Shapes every stored tensor must have, by stored name. */
    Map<String, Shape> storedShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (Entry e : entries) for (int i = 0; i < e.parts.size(); i++) out.put(e.parts.get(i), e.storedShapes.get(i));
        return out;
    }

    /** Reads stored tensors one at a time into the layout (norms in float32, the rest as {@code type}). */
    <E extends Exception> Map<String, NDArray> read(TensorSource<E> source, NDManager owner, DataType type) throws E {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            DataType t = WeightLayout.isNormParameter(e.layoutName) ? DataType.FLOAT32 : type;
            try (NDManager tmp = owner.newSubManager()) {
                NDList parts = new NDList();
                for (String p : e.parts) {
                    NDArray a = source.load(p, tmp, t);
                    a.attach(tmp);
                    parts.add(e.conv1d ? a.transpose() : a);
                }
                NDArray joined = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
                NDArray result = contiguous(joined);
                result.attach(owner);
                out.put(e.layoutName, result);
            }
        }
        return out;
    }

    /** Layout tensors back in stored names and layout, as {@code type}, on the CPU, attached to {@code out}. */
    Map<String, NDArray> write(Map<String, NDArray> layout, NDManager out, DataType type) {
        Map<String, NDArray> result = new LinkedHashMap<>();
        for (Entry e : entries) {
            NDArray a = layout.get(e.layoutName);
            if (a == null) throw new IllegalStateException("model has no parameter " + e.layoutName);
            try (NDManager tmp = out.newSubManager()) {
                NDArray typed = a.toType(type, false);
                if (typed == a) typed = a.reshape(a.getShape());   // an alias tmp may free, never the parameter
                typed.attach(tmp);
                long[] cuts = new long[e.parts.size() - 1];
                long at = 0;
                for (int i = 0; i < cuts.length; i++) {
                    Shape s = e.storedShapes.get(i);
                    at += e.conv1d ? s.get(1) : s.get(0);
                    cuts[i] = at;
                }
                NDList pieces = cuts.length == 0 ? new NDList(typed) : typed.split(cuts, 0);
                for (int i = 0; i < pieces.size(); i++) {
                    NDArray p = pieces.get(i);
                    NDArray stored = contiguous(e.conv1d ? p.transpose() : p).toDevice(Device.cpu(), false);
                    stored.attach(out);
                    result.put(e.parts.get(i), stored);
                }
            }
        }
        return result;
    }

    /** A dense row-major copy unless the array already is one (flatten copies only when it must). */
    static NDArray contiguous(NDArray a) {
        return a.flatten().reshape(a.getShape());
    }

    private static int layerOf(String layoutName) {
        int start = "blocks.".length();
        return Integer.parseInt(layoutName.substring(start, layoutName.indexOf('.', start)));
    }

    // ---------------------------------------------------------------- families

    private static Family family(TransformerSpec spec, Collection<String> storedNames) {
        switch (spec.modelType()) {
            case "gpt2": {
                boolean bare = storedNames != null && storedNames.contains("wte.weight") && !storedNames.contains("transformer.wte.weight");
                return new Family(bare ? "" : "transformer.", true, true, Map.of(
                        "embed", "wte", "pos_embed", "wpe", "final_norm", "ln_f",
                        "norm1", "ln_1", "norm2", "ln_2", "attn.qkv", "attn.c_attn", "attn.out", "attn.c_proj",
                        "mlp.up", "mlp.c_fc", "mlp.down", "mlp.c_proj"), "h.", null);
            }
            case "gptj":
                return new Family("transformer.", false, false, Map.of(
                        "embed", "wte", "final_norm", "ln_f", "norm1", "ln_1",
                        "attn.out", "attn.out_proj", "mlp.up", "mlp.fc_in", "mlp.down", "mlp.fc_out"),
                        "h.", "attn.%s_proj");
            case "llama": case "mistral":
                return new Family("model.", false, false, Map.of(
                        "embed", "embed_tokens", "final_norm", "norm", "norm1", "input_layernorm",
                        "norm2", "post_attention_layernorm", "attn.out", "self_attn.o_proj",
                        "mlp.up", "mlp.up_proj", "mlp.down", "mlp.down_proj", "mlp.gate", "mlp.gate_proj"),
                        "layers.", "self_attn.%s_proj");
            default:
                return Family.LAYOUT;
        }
    }

    /**
     * Stored names: {@code prefix + renamed} for embeddings and the final norm; {@code prefix + blocks + l
     * + "." + renamed} inside blocks; {@code lm_head.*} unprefixed (Hugging Face keeps the head outside
     * the base model).
     */
    private record Family(String prefix, boolean conv1d, boolean fusedQkv, Map<String, String> renames,
                          String blocks, String qkvPattern) {
        static final Family LAYOUT = new Family("", false, true, Map.of(), "blocks.", null);

        String stored(String layoutName) {
            if (this == LAYOUT || layoutName.startsWith("lm_head.")) return layoutName;
            int dot = layoutName.lastIndexOf('.');
            String module = layoutName.substring(0, dot);
            String suffix = layoutName.substring(dot);
            if (!module.startsWith("blocks.")) return prefix + rename(module) + suffix;
            int l = layerOf(layoutName);
            String inner = module.substring(("blocks." + l + ".").length());
            return prefix + blocks + l + "." + rename(inner) + suffix;
        }

        String qkvPart(int layer, String which) {
            return prefix + blocks + layer + "." + String.format(qkvPattern, which);
        }

        private String rename(String module) {
            String r = renames.get(module);
            if (r == null) throw new IllegalArgumentException("A " + blocks + "-style checkpoint has no name for the "
                    + "parameter " + module + "; save this architecture as model type 'layerwise'");
            return r;
        }
    }

    /** Where stored tensors come from: a checkpoint, or arrays in memory. */
    interface TensorSource<E extends Exception> {
        /** The tensor converted to {@code type}, created in {@code manager}. */
        NDArray load(String name, NDManager manager, DataType type) throws E;
    }
}
