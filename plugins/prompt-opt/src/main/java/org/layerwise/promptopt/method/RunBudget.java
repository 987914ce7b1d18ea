package org.layerwise.promptopt.method;

/** What every optimiser's settings say about its two models: decoding, the optimizer-call budget, parallel scoring. */
interface RunBudget {
    long seed();

    int optimizerBudget();

    double baseTemperature();

    double optimizerTemperature();

    int baseMaxTokens();

    int optimizerMaxTokens();

    int parallel();
}
