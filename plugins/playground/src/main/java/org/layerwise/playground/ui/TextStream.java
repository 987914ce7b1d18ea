package org.layerwise.playground.ui;

import javafx.application.Platform;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries generated text from the job's thread to the FX thread: pieces pile up in a buffer and are
 * handed over in one batch per pulse, however fast the model produces them.
 */
final class TextStream {
    private final StringBuilder pending = new StringBuilder();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Consumer<String> sink;

    TextStream(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Any thread. */
    void push(String piece) {
        synchronized (pending) {
            pending.append(piece);
        }
        if (scheduled.compareAndSet(false, true)) Platform.runLater(this::flush);
    }

    /** FX thread: hands over whatever is waiting. */
    void flush() {
        scheduled.set(false);
        String batch;
        synchronized (pending) {
            batch = pending.toString();
            pending.setLength(0);
        }
        if (!batch.isEmpty()) sink.accept(batch);
    }
}
