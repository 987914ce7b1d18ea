package org.layerwise.engine.llm;

/** A completion: the text, the tokens it cost (as the backend counts them) and why it stopped ("stop", "length"). */
public record Completion(String text, int inputTokens, int outputTokens, String finishReason) {}
