package org.layerwise.engine.jobs;

/** A long operation: computation that reports progress and checks for cancellation through its context. */
@FunctionalInterface
public interface Job<T> {
    T run(JobContext ctx) throws Exception;
}
