package org.layerwise.sdk.cli;

import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobState;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A job's progress on a terminal: one line redrawn in place with {@code \r} —
 * {@code [########------------]  40%  epoch 4/10  00:12} — at most every 100 ms, ending with a line that says
 * how the job ended. When the stream is not a terminal (a log file, CI), carriage returns would make a mess, so
 * it prints a plain line at each 10% instead.
 */
public final class ProgressBar implements JobListener {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean interactive;
    private final LongSupplier nanoClock;
    private final int lineWidth;

    private long startedNanos = -1;
    private long lastDrawNanos;
    private boolean drawn;
    private String lastLine = "";
    private int lastLineLength;
    private int lastDecile = -1;
    private boolean finished;

    public ProgressBar(PrintWriter out, boolean interactive, LongSupplier nanoClock, int lineWidth) {
        this.out = out;
        this.interactive = interactive;
        this.nanoClock = nanoClock;
        this.lineWidth = Math.max(40, lineWidth);
    }

    /** Redraws in place when a console is attached, else prints every 10%. */
    public static ProgressBar forTerminal(PrintWriter out) {
        return new ProgressBar(out, System.console() != null, System::nanoTime, terminalColumns());
    }

    @Override
    public synchronized void onProgress(JobHandle<?> job, double fraction, String message) {
        if (finished) return;
        long now = nanoClock.getAsLong();
        if (startedNanos < 0) startedNanos = now;
        if (interactive) {
            boolean complete = !Double.isNaN(fraction) && fraction >= 1.0;
            if (drawn && !complete && now - lastDrawNanos < REDRAW_NANOS) return;
            drawn = true;
            lastDrawNanos = now;
            redraw(line(fraction, message, now));
        } else if (!Double.isNaN(fraction)) {
            int decile = (int) Math.floor(fraction * 10);
            if (decile <= lastDecile) return;
            lastDecile = decile;
            out.println(line(fraction, message, now));
            out.flush();
        }
    }

    /** Log lines scroll above the bar: the bar is cleared, the line printed, the bar drawn again below it. */
    @Override
    public synchronized void onLog(JobHandle<?> job, String line) {
        if (finished) return;
        if (interactive && lastLineLength > 0) {
            String bar = lastLine;
            redraw(line);
            out.println();
            lastLineLength = 0;
            redraw(bar);
        } else {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public synchronized void onStateChanged(JobHandle<?> job, JobState state) {
        long now = nanoClock.getAsLong();
        if (state == JobState.RUNNING && startedNanos < 0) startedNanos = now;
        if (!state.isDone() || finished) return;
        finished = true;
        String elapsed = startedNanos < 0 ? "" : " after " + elapsed(now - startedNanos);
        String end = switch (state) {
            case SUCCEEDED -> "done: " + job.spec().title() + elapsed;
            case CANCELLED -> "cancelled: " + job.spec().title() + elapsed;
            default -> "FAILED: " + job.spec().title() + elapsed + ": " + job.message();
        };
        if (job.runId() >= 0) end += " (run " + job.runId() + ")";
        if (interactive && lastLineLength > 0) {
            redraw(end);
            out.println();
        } else {
            out.println(end);
        }
        out.flush();
    }

    String line(double fraction, String message, long now) {
        String bar;
        String percent;
        if (Double.isNaN(fraction)) {
            // indeterminate: a block that sweeps across so the user sees it is alive
            int pos = (int) ((now - startedNanos) / REDRAW_NANOS % (BAR_WIDTH - 3));
            bar = "-".repeat(pos) + "###" + "-".repeat(BAR_WIDTH - 3 - pos);
            percent = "   ?";
        } else {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
            percent = String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100));
        }
        String head = "[" + bar + "] " + percent + "  ";
        String tail = "  " + elapsed(now - startedNanos);
        String text = message == null ? "" : message.replace('\n', ' ');
        int room = lineWidth - 1 - head.length() - tail.length();
        if (text.length() > room) text = room > 3 ? text.substring(0, room - 3) + "..." : "";
        return head + text + tail;
    }

    private void redraw(String line) {
        // pad with spaces so a shorter line fully covers the previous one
        int pad = Math.max(0, lastLineLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastLineLength = line.length();
        lastLine = line;
    }

    static String elapsed(long nanos) {
        long seconds = Math.max(0, nanos) / 1_000_000_000L;
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    private static int terminalColumns() {
        try {
            String columns = System.getenv("COLUMNS");
            return columns == null ? 80 : Integer.parseInt(columns.trim());
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
