package org.layerwise.engine.runs;

/** The run store could not read or write its database or files; the message names the file and what to do. */
public final class RunStoreException extends RuntimeException {
    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public RunStoreException(String message) {
        super(message);
    }
}
