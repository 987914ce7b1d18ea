package org.layerwise.promptopt.method;

/**
 * GRACE's hyper-parameters. {@link #paper()} holds the published defaults (arXiv:2509.23387 and its code): 80
 * iterations, compression after K = 5 rejections in a row, 3 successes + 3 failures of feedback, train batches of 8,
 * seed 42, base model at temperature 0 and optimizer at 0.6, a prompt-generation budget of 80 optimizer calls.
 *
 * @param optimizerBudget the "prompt generation budget": optimizer calls (refinements and compressions) at most
 * @param parallel        base-model calls in flight while scoring a split
 */
public record GraceSettings(int iterations, int rejectionLimit, int successes, int failures, int batchSize, long seed,
                            int optimizerBudget, double baseTemperature, double optimizerTemperature,
                            int baseMaxTokens, int optimizerMaxTokens, int parallel) implements RunBudget {
    public GraceSettings {
        if (iterations < 1) throw new IllegalArgumentException("iterations must be ≥ 1, was " + iterations);
        if (rejectionLimit < 1) throw new IllegalArgumentException("the rejection limit K must be ≥ 1, was " + rejectionLimit);
        if (successes < 0 || failures < 1) throw new IllegalArgumentException("need ≥ 0 successes and ≥ 1 failure of feedback");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be ≥ 1, was " + batchSize);
        if (optimizerBudget < 1) throw new IllegalArgumentException("the optimizer budget must be ≥ 1 call, was " + optimizerBudget);
        if (parallel < 1) throw new IllegalArgumentException("parallel must be ≥ 1, was " + parallel);
    }

    public static GraceSettings paper() {
        return new GraceSettings(80, 5, 3, 3, 8, 42, 80, 0.0, 0.6, 1024, 4096, 4);
    }

    public GraceSettings withIterations(int n) {
        return new GraceSettings(n, rejectionLimit, successes, failures, batchSize, seed, optimizerBudget, baseTemperature,
                optimizerTemperature, baseMaxTokens, optimizerMaxTokens, parallel);
    }

    public GraceSettings withRejectionLimit(int k) {
        return new GraceSettings(iterations, k, successes, failures, batchSize, seed, optimizerBudget, baseTemperature,
                optimizerTemperature, baseMaxTokens, optimizerMaxTokens, parallel);
    }

    public GraceSettings withOptimizerBudget(int calls) {
        return new GraceSettings(iterations, rejectionLimit, successes, failures, batchSize, seed, calls, baseTemperature,
                optimizerTemperature, baseMaxTokens, optimizerMaxTokens, parallel);
    }

    public GraceSettings withMaxTokens(int base, int optimizer) {
        return new GraceSettings(iterations, rejectionLimit, successes, failures, batchSize, seed, optimizerBudget,
                baseTemperature, optimizerTemperature, base, optimizer, parallel);
    }

    public GraceSettings withSeed(long s) {
        return new GraceSettings(iterations, rejectionLimit, successes, failures, batchSize, s, optimizerBudget,
                baseTemperature, optimizerTemperature, baseMaxTokens, optimizerMaxTokens, parallel);
    }

    public GraceSettings withParallel(int p) {
        return new GraceSettings(iterations, rejectionLimit, successes, failures, batchSize, seed, optimizerBudget,
                baseTemperature, optimizerTemperature, baseMaxTokens, optimizerMaxTokens, p);
    }
}
