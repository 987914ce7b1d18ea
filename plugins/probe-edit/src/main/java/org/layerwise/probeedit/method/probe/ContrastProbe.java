package org.layerwise.probeedit.method.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JEEP contrast probe (arXiv:2412.17872 §3): a logit lens on the residual stream of the unedited model that
 * follows the first token of the original and of the target answer through the layers. One forward pass records
 * every block's output (or the state after attention), then all layers × positions go through the LM head (and
 * the final norm, when asked) in one batched op; probabilities are a softmax over the whole vocabulary and the
 * rank of token t is #{t' : P[t'] > P[t]} over the tokens the tokenizer can produce (0 = top).
 */
public final class ContrastProbe {
    private ContrastProbe() {}

    /** Probes one fact. */
    public static ProbeResult run(TransformerModel model, ProbeRequest request, ProbeOptions options) {
        String text = request.text();
        Encoding encoding = model.encode(text);
        if (encoding.length() == 0) throw new IllegalArgumentException("The prompt \"" + text + "\" has no tokens");
        int subjectLast = subjectLast(encoding, request);

        List<String> words = new ArrayList<>();
        words.add(request.original());
        words.add(request.target());
        words.addAll(options.extraWords());
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = answerToken(model, text, words.get(i));
        Map<String, int[]> setIds = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : options.tokenSets().entrySet())
            setIds.put(e.getKey(), setTokens(model, text, e.getValue()));

        int layers = model.spec().layers();
        int positions = encoding.length();
        float[][] probs;                                  // [word][layers * positions]
        float[][] ranks;
        Map<String, float[]> sets = new LinkedHashMap<>();
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager(model.djlDevice())) {
            NDArray p = lensProbabilities(model, scope, encoding.ids(), options);            // [L, T, V]
            long vocab = p.getShape().get(2);
            int producible = (int) Math.min(vocab, model.tokenizer() == null ? vocab : model.tokenizer().vocabularySize());
            NDArray ranked = producible == vocab ? p : p.get(":, :, :" + producible);
            NDArray idx = scope.create(Arrays.stream(ids).asLongStream().toArray(), new Shape(1, 1, ids.length))
                    .toDevice(p.getDevice(), false);
            NDArray picked = p.gather(idx.broadcast(layers, positions, ids.length), 2);        // [L, T, K]
            probs = new float[ids.length][];
            ranks = new float[ids.length][];
            for (int k = 0; k < ids.length; k++) {
                NDArray pk = picked.get(":, :, " + k + ":" + (k + 1));                          // [L, T, 1]
                probs[k] = pk.toFloatArray();
                ranks[k] = ranked.gt(pk).sum(new int[] {2}).toType(DataType.FLOAT32, false).toFloatArray();
            }
            for (Map.Entry<String, int[]> e : setIds.entrySet()) {
                int[] s = e.getValue();
                NDArray sIdx = scope.create(Arrays.stream(s).asLongStream().toArray(), new Shape(1, 1, s.length))
                        .toDevice(p.getDevice(), false);
                sets.put(e.getKey(), p.gather(sIdx.broadcast(layers, positions, s.length), 2).sum(new int[] {2}).toFloatArray());
            }
        }

        List<TokenTrack> tracks = new ArrayList<>();
        for (int k = 0; k < ids.length; k++)
            tracks.add(new TokenTrack(words.get(k), ids[k], decode(model, ids[k]),
                    grid(probs[k], layers, positions), intGrid(ranks[k], layers, positions)));
        Map<String, float[][]> setGrids = new LinkedHashMap<>();
        sets.forEach((name, flat) -> setGrids.put(name, grid(flat, layers, positions)));
        String[] tokens = new String[positions];
        for (int i = 0; i < positions; i++) tokens[i] = decode(model, encoding.ids()[i]);
        return new ProbeResult(request, options, tokens, subjectLast, tracks.get(0), tracks.get(1),
                List.copyOf(tracks.subList(2, tracks.size())), setGrids);
    }

    /**
     * Probabilities [layers, tokens, vocab] of the logit lens at every layer and position, attached to {@code m}:
     * one forward pass with recording taps, then one batched unembedding of all layers.
     */
    public static NDArray lensProbabilities(TransformerModel model, NDManager m, int[] ids, ProbeOptions options) {
        int layers = model.spec().layers();
        try (NDManager scope = m.newSubManager()) {
            Taps taps = Taps.create();
            for (int l = 0; l < layers; l++) {
                if (options.site() == ProbeOptions.Site.AFTER_MLP) {
                    taps.record(Taps.residPost(l));
                } else {
                    taps.record(Taps.residPre(l));
                    taps.record(Taps.attnOut(l));
                }
            }
            model.forward(scope, ids, taps);
            NDList perLayer = new NDList(layers);
            for (int l = 0; l < layers; l++) {
                NDArray h = options.site() == ProbeOptions.Site.AFTER_MLP
                        ? taps.recorded(Taps.residPost(l))
                        : taps.recorded(Taps.residPre(l)).add(taps.recorded(Taps.attnOut(l)));
                perLayer.add(h);                                                              // [1, T, d]
            }
            NDArray hidden = NDArrays.concat(perLayer, 0);                                    // [L, T, d]
            NDArray probs = model.unembed(scope, hidden, options.finalNorm()).softmax(2);
            probs.attach(m);
            return probs;
        }
    }

    /** Position of the last token overlapping the subject's characters. */
    public static int subjectLast(Encoding encoding, ProbeRequest request) {
        int[] span = request.subjectSpan();
        int[] covering = encoding.positionsCovering(span[0], span[1]);
        if (covering.length == 0)
            throw new IllegalArgumentException("No token of the prompt \"" + request.text() + "\" covers the subject \""
                    + request.subject() + "\" (characters " + span[0] + ".." + span[1] + ")");
        return covering[covering.length - 1];
    }

    /**
     * The first token of {@code answer} as it follows {@code prompt} in running text (a space in between, as
     * CounterFact's answers are written without one): prompt and answer are encoded together and the first token
     * ending after the prompt is the answer's, so merges at the boundary happen as the model saw them in training.
     */
    public static int answerToken(TransformerModel model, String prompt, String answer) {
        String continuation = answer.startsWith(" ") ? answer : " " + answer;
        Encoding e = model.encode(prompt + continuation);
        for (int i = 0; i < e.length(); i++) {
            if (e.charEnds()[i] > prompt.length()) return e.ids()[i];
        }
        throw new IllegalArgumentException("The answer \"" + answer + "\" gives no token after the prompt \"" + prompt + "\"");
    }

    /** Distinct first tokens of the words of a set (a word shared by several words counts once). */
    static int[] setTokens(TransformerModel model, String prompt, List<String> words) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String w : words) if (!w.isBlank()) ids.add(answerToken(model, prompt, w.strip()));
        if (ids.isEmpty()) throw new IllegalArgumentException("A token set has no words");
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String decode(TransformerModel model, int id) {
        return model.tokenizer() == null ? "#" + id : model.tokenizer().decode(new int[] {id});
    }

    private static float[][] grid(float[] flat, int rows, int cols) {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        return out;
    }

    private static int[][] intGrid(float[] flat, int rows, int cols) {
        int[][] out = new int[rows][cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) out[r][c] = Math.round(flat[r * cols + c]);
        return out;
    }
}
