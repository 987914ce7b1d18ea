package org.layerwise.engine.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's thread-local autograd switch. DJL turns it off only on the thread that started the engine;
 * on every other thread it is on, and a {@code GradientCollector} turns it on. With it off, no graph is
 * recorded and the forward pass may update its own temporaries in place.
 *
 * <pre>try (GradMode off = GradMode.off()) { ... inference on a worker thread ... }</pre>
 */
public final class GradMode implements AutoCloseable {
    private final boolean previous;

    private GradMode(boolean previous) { this.previous = previous; }

    /** Turns autograd off on this thread until {@link #close()} restores it. */
    public static GradMode off() {
        boolean was = JniUtils.isGradMode();
        if (was) JniUtils.setGradMode(false);
        return new GradMode(was);
    }

    public static boolean isEnabled() { return JniUtils.isGradMode(); }

    @Override
    public void close() {
        if (previous) JniUtils.setGradMode(true);
    }
}
