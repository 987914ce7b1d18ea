package org.layerwise.promptopt.method;

/**
 * The base model's answer to one item under one prompt: the full response (its reasoning), the parsed prediction
 * (null on a format error) and whether it is right.
 */
public record ItemResult(String itemId, String response, String prediction, boolean correct) {
    public boolean formatError() { return prediction == null; }
}
