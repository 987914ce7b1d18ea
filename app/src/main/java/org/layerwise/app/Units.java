package org.layerwise.app;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, counts and durations for the model bar, job area and runs table. */
public final class Units {
    private Units() {}

    /** 1536 → "1.5 KiB"; binary units, as memory is reported by the OS and CUDA. */
    public static String bytes(long bytes) {
        if (bytes < 0) return "–";
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** 124_439_808 → "124.4M" (parameter counts). */
    public static String count(long n) {
        if (n < 0) return "–";
        if (n < 1_000) return Long.toString(n);
        String[] units = {"K", "M", "B", "T"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f%s" : "%.1f%s", v, units[u]);
    }

    /** "850 ms", "12.3 s", "4m 05s", "2h 03m". */
    public static String duration(Duration d) {
        if (d == null || d.isNegative()) return "–";
        long ms = d.toMillis();
        if (ms < 1000) return ms + " ms";
        if (ms < 60_000) return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        long s = d.getSeconds();
        if (s < 3600) return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
