package org.layerwise.builder.method;

import org.layerwise.engine.tokenizer.HfTokenizer;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The special tokens the builder finds by their text in a tokenizer: a token counts only when the tokenizer reads
 * the text as exactly that one token (a word-level vocabulary without it would split or unknown it).
 */
final class SpecialTokens {
    private SpecialTokens() {}

    /** The id of the first of {@code tokens} the tokenizer reads as exactly that one token, or -1. */
    static int id(HfTokenizer tokenizer, String... tokens) {
        for (String t : tokens) {
            int[] ids = tokenizer.encode(t, false).ids();
            if (ids.length == 1 && tokenizer.decode(ids, false).equals(t)) return ids[0];
        }
        return -1;
    }

    /** End of sequence: &lt;/s&gt;, [EOS] or &lt;|endoftext|&gt;, or -1. */
    static int eos(HfTokenizer tokenizer) {
        return id(tokenizer, "</s>", "[EOS]", "<|endoftext|>");
    }

    /** The separator that ends each sentence of a pair, as in BERT: [SEP] or &lt;/s&gt;, or -1. */
    static int separator(HfTokenizer tokenizer) {
        return id(tokenizer, "[SEP]", "</s>");
    }

    /** The ids of the tokens the tokenizer adds around every text (e.g. [CLS], [SEP]) and the separator: never masked. */
    static Set<Integer> neverMasked(HfTokenizer tokenizer) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int id : tokenizer.encode("", true).ids()) out.add(id);
        int sep = separator(tokenizer);
        if (sep >= 0) out.add(sep);
        return out;
    }

    /** Padding: &lt;pad&gt; or [PAD], or -1. */
    static int pad(HfTokenizer tokenizer) {
        return id(tokenizer, "<pad>", "[PAD]");
    }
}
