package org.layerwise.engine.llm;

/**
 * A backend call failed after its retries: the message says what happened (timeout, dropped connection, HTTP status,
 * malformed answer) and what to do. {@code retryable} says whether trying again later could help.
 */
public class BackendException extends Exception {
    private final boolean retryable;

    public BackendException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public BackendException(String message, boolean retryable) { this(message, retryable, null); }

    public boolean retryable() { return retryable; }
}
