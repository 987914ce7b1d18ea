package org.layerwise.playground.method;

import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A language model that answers from a script: fixed next-token list, fixed continuation pieces. */
final class ScriptedModel implements LanguageModel {
    final List<TokenProbability> next;
    final List<String> pieces;
    final List<GenerationConfig> configs = new ArrayList<>();
    boolean closed;

    ScriptedModel(List<TokenProbability> next, List<String> pieces) {
        this.next = next;
        this.pieces = pieces;
    }

    @Override public String name() { return "scripted"; }
    @Override public Path directory() { return Path.of("/models/scripted"); }
    @Override public String summary() { return "scripted · 0 layers"; }
    @Override public long parameterCount() { return 0; }
    @Override public String dtype() { return "float32"; }
    @Override public String device() { return "cpu"; }
    @Override public long weightBytes() { return 0; }
    @Override public TextTokenizer tokenizer() { throw new UnsupportedOperationException("not needed"); }

    @Override
    public List<TokenProbability> nextTokens(String prompt, int k) {
        return next.subList(0, Math.min(k, next.size()));
    }

    @Override
    public Generation generate(String prompt, GenerationConfig config, Consumer<String> onToken) {
        configs.add(config);
        StringBuilder text = new StringBuilder();
        int n = 0;
        for (String p : pieces) {
            if (n == config.maxNewTokens()) break;
            text.append(p);
            n++;
            if (onToken != null) onToken.accept(p);
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = 100 + i;
        return new Generation(text.toString(), ids, n == config.maxNewTokens() ? "length" : "eos", 3, 2_000_000L);
    }

    @Override
    public void close() {
        closed = true;
    }
}
