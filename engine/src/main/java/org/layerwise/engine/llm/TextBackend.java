package org.layerwise.engine.llm;

import org.layerwise.engine.model.ContinuationScore;

import java.util.List;

/**
 * A language model driven with text: a local engine model or an OpenAI-compatible server. Implementations are
 * thread-safe and count every call and token in {@link #usage()}.
 */
public interface TextBackend extends AutoCloseable {
    /** What to show and record, e.g. "local:facts-llama" or "http://127.0.0.1:8080/v1 model=x" (never a key). */
    String name();

    /** Completes a chat; the backend renders the messages into its model's prompt format. */
    Completion complete(List<ChatMessage> messages, CompletionOptions options) throws BackendException;

    /** Whether {@link #logLikelihoods} is available (local models; not plain chat servers). */
    default boolean supportsLogLikelihood() { return false; }

    /**
     * Log-likelihood (natural log, summed over tokens) and token count of each continuation after the prompt, in the
     * order given: direct label prediction by likelihood, plain and length-normalised.
     */
    default List<ContinuationScore> logLikelihoods(String prompt, List<String> continuations) throws BackendException {
        throw new BackendException(name() + " cannot score continuations; use generation mode", false);
    }

    /** Calls and tokens spent so far. */
    Usage usage();

    @Override default void close() {}
}
