package org.layerwise.app.shell;

import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** A model that only knows its folder; the shell never computes with it. */
final class FakeModel implements LanguageModel {
    private final Path dir;
    volatile boolean closed;

    FakeModel(Path dir) {
        this.dir = dir;
    }

    @Override public String name() { return dir.getFileName().toString(); }
    @Override public Path directory() { return dir; }
    @Override public String summary() { return "gpt2 · 2 layers · d=64 · 4 heads"; }
    @Override public long parameterCount() { return 124_000; }
    @Override public String dtype() { return "float32"; }
    @Override public String device() { return "cpu"; }
    @Override public long weightBytes() { return 496_000; }
    @Override public TextTokenizer tokenizer() { throw new UnsupportedOperationException(); }
    @Override public List<TokenProbability> nextTokens(String prompt, int k) { return List.of(); }
    @Override public Generation generate(String prompt, GenerationConfig c, Consumer<String> t) { throw new UnsupportedOperationException(); }
    @Override public void close() { closed = true; }
}
