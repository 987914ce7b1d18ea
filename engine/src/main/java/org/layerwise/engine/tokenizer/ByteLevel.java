package org.layerwise.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's byte → character table: byte-level BPE works on strings where each UTF-8 byte is one
 * printable character (printable Latin-1 bytes stand for themselves, the rest move to U+0100 and up,
 * so a space becomes "Ġ").
 */
final class ByteLevel {

    private static final List<String> ALPHABET = build();

    private ByteLevel() {
    }

    /** The 256 single-byte token strings, indexed by byte value. */
    static List<String> alphabet() {
        return ALPHABET;
    }

    private static List<String> build() {
        String[] table = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = new String(Character.toChars(printable ? b : next++));
        }
        return List.of(table);
    }
}
