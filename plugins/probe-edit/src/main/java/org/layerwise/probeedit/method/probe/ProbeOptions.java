package org.layerwise.probeedit.method.probe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to read the residual stream.
 *
 * @param finalNorm  apply the model's final norm before the LM head (the tuned/logit-lens habit); the JEEP paper
 *                   reads the raw block output, so its figure is {@code false}
 * @param site       where in each block: after the MLP (the block output, {@code resid_post}, the paper's reading) or
 *                   after attention ({@code resid_pre + attn_out})
 * @param extraWords more single words to follow (first token of " word"), e.g. for a heatmap of another token
 * @param tokenSets  named word lists read as summed probability of their first tokens (the paper's appendix sets)
 */
public record ProbeOptions(boolean finalNorm, Site site, List<String> extraWords, Map<String, List<String>> tokenSets) {
    public enum Site {
        AFTER_MLP("after MLP", "mlp"), AFTER_ATTENTION("after attention", "attn");

        private final String label;
        private final String cliName;

        Site(String label, String cliName) { this.label = label; this.cliName = cliName; }

        public String label() { return label; }

        public String cliName() { return cliName; }

        public static Site fromCli(String name) {
            for (Site s : values()) if (s.cliName.equalsIgnoreCase(name)) return s;
            throw new IllegalArgumentException("--after must be attn or mlp, not '" + name + "'");
        }
    }

    public ProbeOptions {
        Objects.requireNonNull(site, "site");
        extraWords = extraWords == null ? List.of() : List.copyOf(extraWords);
        tokenSets = tokenSets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tokenSets));
    }

    /** The paper's reading: raw block outputs (no final norm), after the MLP, no extra tokens. */
    public static ProbeOptions paper() { return new ProbeOptions(false, Site.AFTER_MLP, List.of(), Map.of()); }

    public ProbeOptions withFinalNorm(boolean v) { return new ProbeOptions(v, site, extraWords, tokenSets); }

    public ProbeOptions withSite(Site v) { return new ProbeOptions(finalNorm, v, extraWords, tokenSets); }

    public ProbeOptions withExtraWords(List<String> v) { return new ProbeOptions(finalNorm, site, v, tokenSets); }

    public ProbeOptions withTokenSets(Map<String, List<String>> v) { return new ProbeOptions(finalNorm, site, extraWords, v); }
}
