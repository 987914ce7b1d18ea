package org.layerwise.engine.tokenizer;

/** A tokenizer.json tokenizer: ids with character offsets, so a subject string maps to token positions. */
public interface TextTokenizer extends AutoCloseable {
    Encoding encode(String text);

    String decode(int[] ids);

    int vocabularySize();

    /** Token positions covering text[charStart, charEnd) of the encoded text. */
    default int[] tokenPositions(Encoding encoding, int charStart, int charEnd) {
        return encoding.positionsCovering(charStart, charEnd);
    }

    @Override
    void close();
}
