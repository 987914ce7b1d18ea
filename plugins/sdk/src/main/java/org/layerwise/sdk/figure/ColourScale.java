package org.layerwise.sdk.figure;

import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.util.PublicCloneable;

import java.awt.Color;
import java.awt.Paint;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A continuous colour map for heatmaps: colours interpolated linearly between evenly spaced stops.
 * Values outside the bounds take the end colours; NaN is light grey so missing cells stay visible.
 */
public final class ColourScale implements PaintScale, PublicCloneable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Color MISSING = new Color(0xE0, 0xE0, 0xE0);

    /** Perceptually uniform and readable in greyscale; for magnitudes (probabilities, norms, counts). */
    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E,
                                          0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725};
    /** Blue–white–red; white at the middle of the range. For signed values (differences, logit shifts). */
    private static final int[] BLUE_WHITE_RED = {0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
                                                 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B};

    private final double lower;
    private final double upper;
    private final int[] stops;

    private ColourScale(double lower, double upper, int[] stops) {
        if (!(lower < upper) || Double.isInfinite(lower) || Double.isInfinite(upper)) {
            throw new IllegalArgumentException("colour scale needs finite lower < upper, got " + lower + ", " + upper);
        }
        this.lower = lower;
        this.upper = upper;
        this.stops = stops;
    }

    public static ColourScale sequential(double lower, double upper) {
        return new ColourScale(lower, upper, VIRIDIS);
    }

    /** A diverging scale over [-limit, limit], so zero is white. */
    public static ColourScale diverging(double limit) {
        return new ColourScale(-limit, limit, BLUE_WHITE_RED);
    }

    @Override
    public double getLowerBound() {
        return lower;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        if (Double.isNaN(value)) {
            return MISSING;
        }
        double t = Math.max(0, Math.min(1, (value - lower) / (upper - lower))) * (stops.length - 1);
        int i = Math.min((int) t, stops.length - 2);
        double f = t - i;
        return mix(stops[i], stops[i + 1], f);
    }

    private static Color mix(int a, int b, double f) {
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
        int bl = (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
        return new Color(r, g, bl);
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        return super.clone(); // immutable
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColourScale c && c.lower == lower && c.upper == upper && Arrays.equals(c.stops, stops);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lower) * 31 + Double.hashCode(upper) * 17 + Arrays.hashCode(stops);
    }
}
