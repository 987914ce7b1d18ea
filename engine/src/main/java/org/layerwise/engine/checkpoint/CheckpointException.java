package org.layerwise.engine.checkpoint;

/**
 * A checkpoint, safetensors file or tokenizer that cannot be read or written. The message names the
 * file (and the tensor when one is at fault) and says what to do, so it can be shown to the user
 * as it is.
 */
public class CheckpointException extends Exception {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
