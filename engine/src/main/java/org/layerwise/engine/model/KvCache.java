package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys (after rotary) and values of every layer for the tokens seen so far, [B, kvHeads, past, headDim],
 * so generation feeds one new token per step. Owns its arrays; close it when the generation ends.
 */
final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens already cached. */
    int length() { return length; }

    /** Appends this step's keys and values for {@code layer} and returns the full [keys, values]. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray fullK = keys[layer] == null ? k : keys[layer].concat(k, 2);
        NDArray fullV = values[layer] == null ? v : values[layer].concat(v, 2);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        fullK.attach(manager);
        fullV.attach(manager);
        keys[layer] = fullK;
        values[layer] = fullV;
        return new NDArray[] {fullK, fullV};
    }

    /** Called after a forward pass over {@code tokens} new tokens. */
    void advance(int tokens) { length += tokens; }

    @Override
    public void close() { manager.close(); }
}
