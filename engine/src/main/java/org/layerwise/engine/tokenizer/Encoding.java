package org.layerwise.engine.tokenizer;

import java.util.stream.IntStream;

/** Token ids, their strings and [start, end) character offsets into the encoded text. */
public record Encoding(int[] ids, String[] tokens, int[] charStarts, int[] charEnds) {
    public int length() { return ids.length; }

    /** Positions of the tokens overlapping [charStart, charEnd). */
    public int[] positionsCovering(int charStart, int charEnd) {
        return IntStream.range(0, ids.length)
                .filter(i -> charStarts[i] < charEnd && charEnds[i] > charStart)
                .toArray();
    }
}
