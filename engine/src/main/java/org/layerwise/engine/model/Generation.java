package org.layerwise.engine.model;

/** A finished generation: the new text, its token ids and why it stopped ("length", "stop", "eos", "cancelled"). */
public record Generation(String text, int[] tokenIds, String finishReason, int promptTokens, long nanos) {}
