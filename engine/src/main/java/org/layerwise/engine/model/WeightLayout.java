package org.layerwise.engine.model;

import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's own parameter names and shapes for a spec, one layout for every family. Matrices follow
 * the linear-layer convention [out, in] (so a projection is {@code linear(x, W, b)}); q, k and v are
 * fused into one {@code attn.qkv} matrix (rows: q heads, then k heads, then v heads).
 *
 * <pre>
 * embed.weight [V, d]            pos_embed.weight [P, d]        (learned positions only)
 * seg_embed.weight [3, d]        (segment embedding only)       embed_norm.weight/.bias (embedding LayerNorm only)
 * blocks.{l}.norm1.weight/.bias  blocks.{l}.norm2.weight/.bias  (norm2: sequential residual only; bias: LayerNorm only;
 *                                post-LN: norm1 after the attention sum, norm2 after the MLP sum)
 * blocks.{l}.attn.qkv.weight [(H+2K)·hd, d]   blocks.{l}.attn.out.weight [d, H·hd]
 * blocks.{l}.mlp.gate.weight [ff, d] (gated)  blocks.{l}.mlp.up.weight [ff, d]   blocks.{l}.mlp.down.weight [d, ff]
 * final_norm.weight/.bias        lm_head.weight [V, d] (untied)  lm_head.bias [V]
 * </pre>
 */
public final class WeightLayout {
    private WeightLayout() {}

    /** The segment table [3, d]: row 0 padding, 1 sentence A (the prefix), 2 sentence B. */
    public static final String SEGMENT_EMBEDDING = "seg_embed";
    /** The norm on the summed embeddings (BERT's embedding LayerNorm). */
    public static final String EMBEDDING_NORM = "embed_norm";

    public static String norm1(int l) { return "blocks." + l + ".norm1"; }
    public static String norm2(int l) { return "blocks." + l + ".norm2"; }
    public static String qkv(int l) { return "blocks." + l + ".attn.qkv"; }
    public static String attnOut(int l) { return "blocks." + l + ".attn.out"; }
    public static String gate(int l) { return "blocks." + l + ".mlp.gate"; }
    public static String up(int l) { return "blocks." + l + ".mlp.up"; }
    /** The MLP output projection W_out that MEMIT-style editors rewrite, [d, ff]. */
    public static String down(int l) { return "blocks." + l + ".mlp.down"; }

    /** Every parameter the spec needs, in a stable order, with its shape. */
    public static Map<String, Shape> shapes(TransformerSpec s) {
        Map<String, Shape> out = new LinkedHashMap<>();
        int d = s.dModel();
        out.put("embed.weight", new Shape(s.vocabSize(), d));
        if (s.learnedPositions()) out.put("pos_embed.weight", new Shape(s.maxPositions(), d));
        if (s.segmentEmbedding()) out.put(SEGMENT_EMBEDDING + ".weight", new Shape(3, d));
        if (s.embeddingNorm()) {            // a LayerNorm whatever the blocks use, as TencentPretrain's embedding
            out.put(EMBEDDING_NORM + ".weight", new Shape(d));
            out.put(EMBEDDING_NORM + ".bias", new Shape(d));
        }
        for (int l = 0; l < s.layers(); l++) {
            norm(out, s, norm1(l));
            out.put(qkv(l) + ".weight", new Shape(s.qkvRows(), d));
            if (s.qkvBias()) out.put(qkv(l) + ".bias", new Shape(s.qkvRows()));
            out.put(attnOut(l) + ".weight", new Shape(d, (long) s.heads() * s.headDim()));
            if (s.outBias()) out.put(attnOut(l) + ".bias", new Shape(d));
            if (s.residual() == TransformerSpec.Residual.SEQUENTIAL) norm(out, s, norm2(l));
            List<String> inputs = new ArrayList<>();
            if (s.mlp() == TransformerSpec.MlpKind.GATED) inputs.add(gate(l));
            inputs.add(up(l));
            for (String in : inputs) {
                out.put(in + ".weight", new Shape(s.intermediateSize(), d));
                if (s.mlpBias()) out.put(in + ".bias", new Shape(s.intermediateSize()));
            }
            out.put(down(l) + ".weight", new Shape(d, s.intermediateSize()));
            if (s.mlpBias()) out.put(down(l) + ".bias", new Shape(d));
        }
        if (s.finalNorm()) norm(out, s, "final_norm");
        if (!s.tiedEmbeddings()) out.put("lm_head.weight", new Shape(s.vocabSize(), d));
        if (s.lmHeadBias()) out.put("lm_head.bias", new Shape(s.vocabSize()));
        return out;
    }

    /** Norm parameters stay in float32 whatever the model dtype (norms are computed in float32). */
    static boolean isNormParameter(String name) {
        return name.startsWith("final_norm.") || name.startsWith(EMBEDDING_NORM + ".") || name.contains(".norm1.") || name.contains(".norm2.");
    }

    private static void norm(Map<String, Shape> out, TransformerSpec s, String prefix) {
        out.put(prefix + ".weight", new Shape(s.dModel()));
        if (s.norm() == TransformerSpec.NormKind.LAYER) out.put(prefix + ".bias", new Shape(s.dModel()));
    }
}
