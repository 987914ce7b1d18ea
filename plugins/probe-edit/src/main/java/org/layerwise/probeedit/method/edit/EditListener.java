package org.layerwise.probeedit.method.edit;

/** What an edit reports while it runs: optimisation curves per request and stages. */
public interface EditListener {
    /** One step of the target optimisation of request {@code index} (0-based within the batch). */
    void step(int index, int step, double nll, double kl, double deltaNorm, double targetProb);

    void stage(double fraction, String message);

    void log(String line);

    EditListener NONE = new EditListener() {
        @Override public void step(int index, int step, double nll, double kl, double deltaNorm, double targetProb) {}
        @Override public void stage(double fraction, String message) {}
        @Override public void log(String line) {}
    };
}
