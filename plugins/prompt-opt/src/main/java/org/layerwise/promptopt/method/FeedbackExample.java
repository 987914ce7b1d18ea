package org.layerwise.promptopt.method;

/** One example shown to the optimizer: the full base-model input, its reasoning, the label and the prediction. */
public record FeedbackExample(String itemId, String input, String reasoning, String label, String prediction, boolean correct) {}
