package org.layerwise.rationale.method;

/**
 * One mode's answer to one item: the predicted label (null on a format error), whether it is right, whether the
 * output could not be parsed (no answer phrase, or a direct answer that is no option), and the raw output.
 */
public record Answer(EvalMode mode, String prediction, boolean correct, boolean formatError, String output) {}
