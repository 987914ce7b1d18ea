package org.layerwise.probeedit.method.probe;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;

/** Long-format CSV of probe results (one row per layer and position / curve), for the run store and the CLI. */
public final class ProbeCsv {
    private ProbeCsv() {}

    /** layer, position, token, then prob and rank of each tracked word, then each set's summed probability. */
    public static void write(ProbeResult r, Writer out) throws IOException {
        StringBuilder head = new StringBuilder("layer,position,token,role");
        for (TokenTrack t : tracks(r)) head.append(',').append(field("p " + t.word())).append(',').append(field("rank " + t.word()));
        for (String s : r.sets().keySet()) head.append(',').append(field("sum p " + s));
        out.write(head.append('\n').toString());
        for (int l = 0; l < r.layers(); l++) {
            for (int i = 0; i < r.tokens().length; i++) {
                StringBuilder row = new StringBuilder();
                String role = i == r.subjectLast() ? "subject_last" : i == r.last() ? "last" : "";
                row.append(l).append(',').append(i).append(',').append(field(r.tokens()[i])).append(',').append(role);
                for (TokenTrack t : tracks(r)) row.append(',').append(num(t.prob()[l][i])).append(',').append(t.rank()[l][i]);
                for (float[][] s : r.sets().values()) row.append(',').append(num(s[l][i]));
                out.write(row.append('\n').toString());
            }
        }
        out.flush();
    }

    /** position, curve, layer, mean, lower, upper, n. */
    public static void write(DatasetProbe.Result r, Writer out) throws IOException {
        out.write("position,curve,layer,mean,lower95,upper95,n\n");
        for (Map.Entry<DatasetProbe.Position, Map<String, Band>> p : r.curves().entrySet()) {
            for (Map.Entry<String, Band> c : p.getValue().entrySet()) {
                Band b = c.getValue();
                for (int l = 0; l < b.mean().length; l++)
                    out.write(p.getKey().name().toLowerCase(Locale.ROOT) + ',' + field(c.getKey()) + ',' + l + ',' + num(b.mean()[l])
                            + ',' + num(b.lower()[l]) + ',' + num(b.upper()[l]) + ',' + b.n() + '\n');
            }
        }
        out.flush();
    }

    private static java.util.List<TokenTrack> tracks(ProbeResult r) {
        java.util.List<TokenTrack> all = new java.util.ArrayList<>(java.util.List.of(r.original(), r.target()));
        all.addAll(r.extra());
        return all;
    }

    private static String num(double v) { return Double.toString(v); }

    private static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
