package org.layerwise.rationale.method;

import java.util.Locale;

/** The run's tables in Markdown: training methods × models, and accuracy per task of each model as shipped. */
public final class ComparisonTable {
    private ComparisonTable() {}

    public static String markdown(GridResult r) {
        StringBuilder sb = new StringBuilder();
        boolean norm = r.modes().contains(EvalMode.DIRECT_LL_NORM), ll = r.modes().contains(EvalMode.DIRECT_LL),
                gen = r.modes().contains(EvalMode.DIRECT_GEN), cot = r.modes().contains(EvalMode.COT);
        sb.append("| model | parameters | method | items |");
        if (ll) sb.append(" direct acc |");
        if (norm) sb.append(" direct acc_norm |");
        if (gen) sb.append(" direct gen |");
        if (cot) sb.append(" CoT acc | CoT format err |");
        if (ll) sb.append(" held-out direct |");
        if (cot) sb.append(" held-out CoT | held-out CoT format err |");
        sb.append(" final train loss |");
        int columns = sb.toString().split("\\|", -1).length - 2;
        sb.append("\n|").append("---|".repeat(columns)).append('\n');
        for (GridCell c : r.cells()) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %s | %d |", c.model(), c.parameters(), c.label(),
                    c.pooled(false, r.modes().get(0)).items()));
            if (ll) sb.append(pct(c.pooled(false, EvalMode.DIRECT_LL).accuracy()));
            if (norm) sb.append(pct(c.pooled(false, EvalMode.DIRECT_LL_NORM).accuracy()));
            if (gen) sb.append(pct(c.pooled(false, EvalMode.DIRECT_GEN).accuracy()));
            if (cot) sb.append(pct(c.pooled(false, EvalMode.COT).accuracy())).append(pct(c.pooled(false, EvalMode.COT).formatErrorRate()));
            if (ll) sb.append(pct(c.pooled(true, EvalMode.DIRECT_LL).accuracy()));
            if (cot) sb.append(pct(c.pooled(true, EvalMode.COT).accuracy())).append(pct(c.pooled(true, EvalMode.COT).formatErrorRate()));
            sb.append(c.losses().isEmpty() ? " – |" : String.format(Locale.ROOT, " %.3f |", c.losses().get(c.losses().size() - 1)));
            sb.append('\n');
        }
        sb.append("\nPer task (direct acc / CoT acc):\n\n| model | method |");
        GridCell first = r.cells().get(0);
        for (String t : first.tasks()) sb.append(' ').append(t).append(" |");
        sb.append("\n|---|---|").append("---|".repeat(first.tasks().size())).append('\n');
        for (GridCell c : r.cells()) {
            sb.append("| ").append(c.model()).append(" | ").append(c.label()).append(" |");
            for (String t : first.tasks()) {
                String d = ll ? fmt(c.score(t, EvalMode.DIRECT_LL).accuracy()) : "–";
                String k = cot ? fmt(c.score(t, EvalMode.COT).accuracy()) : "–";
                sb.append(' ').append(d).append(" / ").append(k).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pct(double v) { return Double.isNaN(v) ? " – |" : String.format(Locale.ROOT, " %.1f%% |", 100 * v); }

    private static String fmt(double v) { return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", 100 * v); }
}
