package org.layerwise.promptopt.method;

/**
 * OPRO's hyper-parameters (Yang et al., "Large Language Models as Optimizers", 2023): 8 instructions per step at
 * optimizer temperature 1.0, the 20 best scored instructions in the meta-prompt (ascending), 3 task exemplars. The
 * budget is counted as in GRACE, in optimizer calls; GRACE's comparison gives baselines 300.
 */
public record OproSettings(int steps, int candidatesPerStep, int historySize, int exemplars, long seed,
                           int optimizerBudget, double baseTemperature, double optimizerTemperature,
                           int baseMaxTokens, int optimizerMaxTokens, int parallel) implements RunBudget {
    public OproSettings {
        if (steps < 1 || candidatesPerStep < 1 || historySize < 1 || exemplars < 0 || optimizerBudget < 1 || parallel < 1)
            throw new IllegalArgumentException("OPRO needs steps, candidates per step, history, budget and parallel ≥ 1 (exemplars ≥ 0)");
    }

    public static OproSettings paper() {
        return new OproSettings(200, 8, 20, 3, 42, 300, 0.0, 1.0, 1024, 1024, 4);
    }

    public OproSettings withBudget(int steps, int candidatesPerStep, int optimizerBudget) {
        return new OproSettings(steps, candidatesPerStep, historySize, exemplars, seed, optimizerBudget, baseTemperature,
                optimizerTemperature, baseMaxTokens, optimizerMaxTokens, parallel);
    }

    public OproSettings withMaxTokens(int base, int optimizer) {
        return new OproSettings(steps, candidatesPerStep, historySize, exemplars, seed, optimizerBudget, baseTemperature,
                optimizerTemperature, base, optimizer, parallel);
    }

    public OproSettings withParallel(int p) {
        return new OproSettings(steps, candidatesPerStep, historySize, exemplars, seed, optimizerBudget, baseTemperature,
                optimizerTemperature, baseMaxTokens, optimizerMaxTokens, p);
    }
}
