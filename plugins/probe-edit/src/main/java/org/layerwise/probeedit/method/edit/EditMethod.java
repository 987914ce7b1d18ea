package org.layerwise.probeedit.method.edit;

import java.util.Locale;

/** The editors; all share the key/value machinery of {@link KeyValues} and {@link LeastSquares}. */
public enum EditMethod {
    /** Rank-one update of one layer's MLP output projection with C⁻¹ (Meng et al., 2022a). */
    ROME,
    /** Target at the last low layer's block output, spread over the low region with r = R/(n−i) (Meng et al., 2022b). */
    MEMIT,
    /** Attention and MLP targets at the last low layer, MLP weights updated with sqrt spreading (Li et al., 2024). */
    PMET,
    /** Joint δ′ (low, MLP, subject) and δ* (high, attention, prediction) targets; low then high updates (Shi et al., 2025). */
    JEEP;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static EditMethod parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown edit method '" + s + "'; use jeep, memit, pmet or rome");
        }
    }
}
