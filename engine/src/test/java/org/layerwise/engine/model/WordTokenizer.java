package org.layerwise.engine.model;

import org.layerwise.engine.tokenizer.Encoding;
import org.layerwise.engine.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Test double of the golden files' word-level tokenizer: whitespace-separated words "w0".."w{V-1}" are
 * ids 0..V-1 (anything else is w0), with character offsets; decode joins words with spaces.
 */
final class WordTokenizer implements TextTokenizer {
    private final int vocab;

    WordTokenizer(int vocab) { this.vocab = vocab; }

    @Override
    public Encoding encode(String text) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) i++;
            if (i > start) spans.add(new int[] {start, i});
        }
        int n = spans.size();
        int[] ids = new int[n], starts = new int[n], ends = new int[n];
        String[] tokens = new String[n];
        for (int k = 0; k < n; k++) {
            starts[k] = spans.get(k)[0];
            ends[k] = spans.get(k)[1];
            tokens[k] = text.substring(starts[k], ends[k]);
            ids[k] = idOf(tokens[k]);
        }
        return new Encoding(ids, tokens, starts, ends);
    }

    private int idOf(String word) {
        if (word.length() > 1 && word.charAt(0) == 'w') {
            try {
                int id = Integer.parseInt(word.substring(1));
                if (id >= 0 && id < vocab) return id;
            } catch (NumberFormatException ignored) {
                // not a vocabulary word
            }
        }
        return 0;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) b.append(b.length() == 0 ? "" : " ").append('w').append(id);
        return b.toString();
    }

    @Override
    public int vocabularySize() { return vocab; }

    @Override
    public void close() {}
}
