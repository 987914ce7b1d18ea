package org.layerwise.tests.gui;

import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A language model that answers from a script (for GUI tests that must not depend on weights): a fixed
 * next-token distribution and a continuation streamed one piece at a time, {@code delayMillis} apart.
 */
final class ScriptedLanguageModel implements LanguageModel {
    private final Path dir;
    private final List<String> pieces;
    private final long delayMillis;
    volatile boolean closed;

    ScriptedLanguageModel(Path dir, List<String> pieces, long delayMillis) {
        this.dir = dir;
        this.pieces = pieces;
        this.delayMillis = delayMillis;
    }

    @Override public String name() { return dir.getFileName().toString(); }
    @Override public Path directory() { return dir; }
    @Override public String summary() { return "llama · 4 layers · d=128 · 4/2 heads"; }
    @Override public long parameterCount() { return 3_760_000; }
    @Override public String dtype() { return "float32"; }
    @Override public String device() { return "cpu"; }
    @Override public long weightBytes() { return 15_040_000; }
    @Override public TextTokenizer tokenizer() { throw new UnsupportedOperationException("not scripted"); }

    @Override
    public List<TokenProbability> nextTokens(String prompt, int k) {
        List<TokenProbability> all = List.of(new TokenProbability(6342, " Paris", 0.61),
                new TokenProbability(3482, " London", 0.12), new TokenProbability(10598, " Rome", 0.07),
                new TokenProbability(11, ",", 0.04), new TokenProbability(13, ".", 0.02));
        return all.subList(0, Math.min(k, all.size()));
    }

    @Override
    public Generation generate(String prompt, GenerationConfig config, Consumer<String> onToken) {
        long start = System.nanoTime();
        StringBuilder text = new StringBuilder();
        int n = 0;
        for (String p : pieces) {
            if (n == config.maxNewTokens()) break;
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                throw new JobCancelledException();
            }
            text.append(p);
            n++;
            onToken.accept(p);
        }
        int[] ids = new int[n];
        return new Generation(text.toString(), ids, n == pieces.size() ? "eos" : "length", 9, System.nanoTime() - start);
    }

    @Override
    public void close() {
        closed = true;
    }
}
