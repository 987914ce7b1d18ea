package org.layerwise.builder.method;

import org.layerwise.engine.model.EncoderDecoderModel;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.train.TrainingExample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Encoder-decoder training examples from a corpus. A line "source&lt;TAB&gt;target" is an explicit pair. Any other line
 * is turned into one by T5's span corruption (Raffel et al., 2020, §3.1.4): 15% of its tokens (noise density 0.15)
 * are dropped in spans of mean length 3; each dropped span is replaced in the source by one sentinel, and the target
 * lists, for each span, the sentinel followed by the span's tokens. T5 gives each span its own sentinel
 * (&lt;extra_id_0&gt;, &lt;extra_id_1&gt;, ...); the word-level tokenizers here have none, so the config's mask_token
 * is every sentinel — the spans are still told apart by their order. Span lengths are drawn from a Random seeded
 * with the config's seed and the line's number, so reruns see the same corruption. Source and target are tokenised
 * as {@link EncoderDecoderModel#sourceIds} does (EOS appended when the vocabulary has one) and cut to max_seq_length.
 */
public final class Seq2SeqExamples {
    public static final double NOISE_DENSITY = 0.15;
    public static final double MEAN_SPAN_LENGTH = 3;

    private Seq2SeqExamples() {}

    public static List<TrainingExample> of(ModelConfig c, Path corpus, HfTokenizer tokenizer) throws IOException {
        int eos = SpecialTokens.eos(tokenizer);
        int maxLen = c.integer("max_seq_length");
        int sentinel = -2;            // looked up at the first line that needs it
        List<TrainingExample> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(corpus);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) continue;
            int tab = line.indexOf('\t');
            if (tab >= 0) {
                int[] source = EncoderDecoderModel.sourceIds(tokenizer, line.substring(0, tab).strip(), eos);
                int[] target = EncoderDecoderModel.sourceIds(tokenizer, line.substring(tab + 1).strip(), eos);
                if (source.length == 0 || target.length == 0)
                    throw new IllegalArgumentException(corpus + " line " + (n + 1) + ": a source<TAB>target pair needs tokens on both sides");
                out.add(example(source, target, maxLen));
                continue;
            }
            int[] tokens = tokenizer.encode(line.strip(), false).ids();
            if (tokens.length < 2) continue;                        // nothing to drop and keep
            if (sentinel == -2) sentinel = sentinel(c, tokenizer);
            int[] kept = Arrays.copyOf(tokens, Math.min(tokens.length, maxLen - (eos >= 0 ? 1 : 0)));
            if (kept.length < 2) continue;
            int[][] pair = corrupt(kept, new Random(c.integer("seed") * 1_000_003L + n), sentinel);
            out.add(example(withEos(pair[0], eos), withEos(pair[1], eos), maxLen));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("The corpus " + corpus + " has no source<TAB>target pair and no line of 2 or more tokens");
        return out;
    }

    private static int sentinel(ModelConfig c, HfTokenizer tokenizer) {
        String token = c.text("mask_token");
        int id = SpecialTokens.id(tokenizer, token);
        if (id < 0)
            throw new IllegalArgumentException("The tokenizer has no single token '" + token + "' to mark dropped spans with (T5 span "
                    + "corruption); set mask_token to one it has, or give the corpus as source<TAB>target lines");
        return id;
    }

    private static TrainingExample example(int[] source, int[] target, int maxLen) {
        return new TrainingExample(Arrays.copyOf(source, Math.min(source.length, maxLen)), null, -1,
                Arrays.copyOf(target, Math.min(target.length, maxLen)));
    }

    private static int[] withEos(int[] ids, int eos) {
        if (eos < 0) return ids;
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = eos;
        return out;
    }

    /**
     * T5's span corruption of {@code tokens} (at least 2): {source, target}. As T5's random_spans_noise_mask:
     * round(n·0.15) noise tokens (at least 1, at most n−1) in round(noise/3) spans (at least 1), noise and kept tokens
     * each split into that many non-empty runs at random, alternating kept run, noise span, kept run, ...
     */
    static int[][] corrupt(int[] tokens, Random random, int sentinel) {
        int n = tokens.length;
        int noise = Math.min(Math.max((int) Math.round(n * NOISE_DENSITY), 1), n - 1);
        int spans = Math.min(Math.max((int) Math.round(noise / MEAN_SPAN_LENGTH), 1), n - noise);
        int[] noiseLengths = segmentation(noise, spans, random);
        int[] keptLengths = segmentation(n - noise, spans, random);
        List<Integer> source = new ArrayList<>(), target = new ArrayList<>();
        int at = 0;
        for (int s = 0; s < spans; s++) {
            for (int i = 0; i < keptLengths[s]; i++) source.add(tokens[at++]);
            source.add(sentinel);
            target.add(sentinel);
            for (int i = 0; i < noiseLengths[s]; i++) target.add(tokens[at++]);
        }
        return new int[][] {source.stream().mapToInt(Integer::intValue).toArray(), target.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** {@code items} split into {@code segments} non-empty runs at random cut points. */
    private static int[] segmentation(int items, int segments, Random random) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < items; i++) cuts.add(i);
        Collections.shuffle(cuts, random);
        List<Integer> chosen = new ArrayList<>(cuts.subList(0, segments - 1));
        Collections.sort(chosen);
        int[] lengths = new int[segments];
        int previous = 0;
        for (int s = 0; s < segments - 1; s++) {
            lengths[s] = chosen.get(s) - previous;
            previous = chosen.get(s);
        }
        lengths[segments - 1] = items - previous;
        return lengths;
    }
}
