package org.layerwise.engine.model;

import org.layerwise.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded causal language model as the shell and the workspaces see it. The full engine API
 * (forward with taps, batched scoring) lives on the implementation, {@link TransformerModel}.
 */
public interface LanguageModel extends AutoCloseable {
    /** Display name (the folder name). */
    String name();

    Path directory();

    /** One line: architecture, layers, width, heads (e.g. "llama · 4 layers · d=64 · 4/2 heads"). */
    String summary();

    long parameterCount();

    /** "float32", "float16" or "bfloat16". */
    String dtype();

    /** "cpu" or "gpu(0)". */
    String device();

    /** Bytes the weights occupy on the device. */
    long weightBytes();

    TextTokenizer tokenizer();

    /** The k most likely next tokens after {@code prompt}, most likely first. */
    List<TokenProbability> nextTokens(String prompt, int k);

    /** Generates a continuation; {@code onToken} sees each new piece of text (may be null). */
    Generation generate(String prompt, GenerationConfig config, java.util.function.Consumer<String> onToken);

    @Override
    void close();

    record TokenProbability(int id, String token, double probability) {}
}
