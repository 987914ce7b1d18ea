package org.layerwise.engine.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Metric points waiting to be written: a point is written at most {@code maxDelayMillis} after it arrives
 * (a flush is scheduled when the buffer goes from empty to non-empty), or at once by the caller when
 * {@code maxPoints} are waiting, so a burst cannot grow memory without bound. Writes happen in one
 * transaction per batch, which is what makes thousands of points per run cheap.
 */
final class MetricBuffer {
    private final long maxDelayMillis;
    private final int maxPoints;
    private final ScheduledExecutorService scheduler;
    private final Consumer<List<PendingMetric>> writer;
    private final Object lock = new Object();
    /** Serialises writers so batches reach the database in arrival order. */
    private final Object writing = new Object();
    private List<PendingMetric> points = new ArrayList<>();
    private boolean flushScheduled;

    MetricBuffer(long maxDelayMillis, int maxPoints, ScheduledExecutorService scheduler,
                 Consumer<List<PendingMetric>> writer) {
        this.maxDelayMillis = maxDelayMillis;
        this.maxPoints = maxPoints;
        this.scheduler = scheduler;
        this.writer = writer;
    }

    void add(PendingMetric point) {
        boolean schedule = false;
        boolean full;
        synchronized (lock) {
            points.add(point);
            full = maxDelayMillis <= 0 || points.size() >= maxPoints;
            if (!full && !flushScheduled) {
                flushScheduled = true;
                schedule = true;
            }
        }
        if (full) {
            flush();
        } else if (schedule) {
            try {
                scheduler.schedule(this::flushQuietly, maxDelayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                flush(); // the store is closing: write now rather than never
            }
        }
    }

    /** Writes every waiting point; returns when they are committed. */
    void flush() {
        synchronized (writing) {
            List<PendingMetric> batch;
            synchronized (lock) {
                batch = points;
                points = new ArrayList<>();
                flushScheduled = false;
            }
            if (!batch.isEmpty()) writer.accept(batch);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MetricBuffer.class).warn("writing metric points failed: {}", e.toString());
        }
    }
}
