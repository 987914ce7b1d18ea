package org.layerwise.modelselect.method;

/** Fine-tunes a candidate on the target one more epoch and answers its validation accuracy then. */
public interface EpochRunner {
    double nextEpoch(String model) throws Exception;

    /** Called once a candidate is out of the race, so its weights and optimiser state can be freed. */
    default void release(String model) {}
}
