package org.layerwise.engine.model;

import java.util.List;

/** Decoding settings. temperature 0 means greedy; topK 0 and topP 1 switch those filters off. */
public record GenerationConfig(int maxNewTokens, double temperature, int topK, double topP, long seed,
                               List<String> stopStrings, boolean useCache) {
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0.0, 0, 1.0, 0L, List.of(), true);
    }
}
