package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** What one forward pass shares across blocks: rotary angles, the attention mask, taps and the cache. */
final class Pass {
    private final Taps taps;
    private final NDManager keep;
    /** [B or 1, T, 1, rotaryDim] in the compute dtype, or null without rotary. */
    final NDArray cos;
    final NDArray sin;
    /** Additive float32 mask broadcastable to [B, kvHeads, groups, T, Tk], or null when nothing is masked. */
    final NDArray mask;
    /** Key/value cache, or null. */
    final KvCache cache;
    /** Autograd is off, so a layer may update temporaries nobody else has seen in place. */
    final boolean inPlace;

    Pass(Taps taps, NDManager keep, NDArray cos, NDArray sin, NDArray mask, KvCache cache) {
        this.taps = taps == null || taps.isEmpty() ? null : taps;
        this.keep = keep;
        this.cos = cos;
        this.sin = sin;
        this.mask = mask;
        this.cache = cache;
        this.inPlace = !GradMode.isEnabled();
    }

    /** The activation after the taps at {@code point}; free when there are no taps. */
    NDArray tap(String point, NDArray x) {
        return taps == null ? x : taps.apply(point, x, keep);
    }
}
