package org.layerwise.engine.train;

/**
 * One training instance, TencentPretrain style: the source tokens, and what the targets need besides them.
 *
 * @param tokens   source token ids (at least one)
 * @param segments segment id per token (1 = sentence A, 2 = sentence B), or null when the example has one segment
 * @param label    the class of a cls example or the is-next label (1) of an sp pair, or -1 when it has none
 * @param target   the decoder's target tokens of an encoder-decoder example, or null
 */
public record TrainingExample(int[] tokens, int[] segments, int label, int[] target) {
    public TrainingExample {
        if (tokens.length == 0) throw new IllegalArgumentException("A training example needs at least one token");
        if (segments != null && segments.length != tokens.length)
            throw new IllegalArgumentException("segments (" + segments.length + ") must give one id per token (" + tokens.length + ")");
    }

    /** Plain tokens, for lm and mlm. */
    public static TrainingExample of(int[] tokens) {
        return new TrainingExample(tokens, null, -1, null);
    }

    /** The example cut to {@code maxLength} source tokens (segments with it). */
    public TrainingExample cut(int maxLength) {
        if (tokens.length <= maxLength) return this;
        return new TrainingExample(java.util.Arrays.copyOf(tokens, maxLength),
                segments == null ? null : java.util.Arrays.copyOf(segments, maxLength), label, target);
    }
}
