package org.layerwise.probeedit.method.probe;

/** A mean curve over facts with its 95% band (mean ± 1.96·sem), one value per layer. */
public record Band(double[] mean, double[] lower, double[] upper, int n) {}
