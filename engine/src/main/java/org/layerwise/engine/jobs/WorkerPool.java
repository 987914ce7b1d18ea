package org.layerwise.engine.jobs;

import org.layerwise.engine.runs.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The job runner: a fixed pool of named daemon worker threads ({@code layerwise-job-N}) taking jobs in
 * submission order. A job whose spec is {@link JobSpec#recorded() recorded} writes a run as it goes: the run
 * starts (parameters as JSON, model reference) when the job starts, its metrics, traces and artifacts go to the
 * store as they are reported, and it finishes SUCCEEDED, FAILED (the exception's summary as message and the
 * stack trace as an {@code error} trace event) or CANCELLED.
 *
 * <p>A job that is not recorded (or a pool without a store) reports metrics, progress and log lines to its
 * listeners only; its trace events are dropped and {@link JobContext#artifact} returns the file where it is.
 *
 * <p>Listeners are called on the job's worker thread, except the QUEUED event, which is called on the
 * submitting thread. Closing the pool cancels what is still running and waits briefly; it does not close the
 * run store, which belongs to the caller.
 */
public final class WorkerPool implements JobRunner {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final RunStore store;
    private final ThreadPoolExecutor executor;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentSkipListMap<Long, PooledJob<?>> active = new ConcurrentSkipListMap<>();
    private final List<JobListener> globalListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * @param store   where recorded jobs write their runs, or null to record nothing
     * @param threads how many jobs run at once (≥ 1)
     */
    public WorkerPool(RunStore store, int threads) {
        if (threads < 1) throw new IllegalArgumentException("a worker pool needs at least one thread, got " + threads);
        this.store = store;
        int pool = POOLS.incrementAndGet();
        AtomicInteger workers = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "layerwise-job-" + (pool == 1 ? "" : pool + "-") + workers.incrementAndGet());
                    t.setDaemon(true); // a stuck job must not keep the JVM alive after the app closes
                    return t;
                });
    }

    @Override
    public <T> JobHandle<T> submit(JobSpec spec, Job<T> job) {
        if (spec == null || job == null) throw new IllegalArgumentException("submit needs a job spec and a job");
        if (closed) throw new IllegalStateException("the worker pool is closed; cannot run '" + spec.title() + "'");
        long id = ids.incrementAndGet();
        PooledJob<T> handle = new PooledJob<>(id, spec, job, store, List.copyOf(globalListeners),
                () -> active.remove(id));
        active.put(id, handle);
        handle.announceQueued();
        executor.execute(handle);
        return handle;
    }

    @Override
    public List<JobHandle<?>> active() {
        return List.copyOf(active.values());
    }

    @Override
    public void addGlobalListener(JobListener listener) {
        globalListeners.add(listener);
    }

    public void removeGlobalListener(JobListener listener) {
        globalListeners.remove(listener);
    }

    /** Whether the pool has been closed. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (PooledJob<?> job : active.values()) job.cancel();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("{} job(s) did not stop within 10 s of being cancelled; leaving them to the JVM's exit",
                        active.size());
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
