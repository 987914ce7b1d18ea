package org.layerwise.app.shell;

import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The lines shown in the log console. Any thread may append; lines are batched into one FX-thread
 * update per pulse (a chatty job cannot flood the FX thread), and only the newest {@code capacity}
 * lines are kept.
 */
public final class LogBuffer {
    public static final int DEFAULT_CAPACITY = 5_000;
    private static final LogBuffer SHARED = new LogBuffer(DEFAULT_CAPACITY, LogBuffer::runLaterIfStarted);

    private final int capacity;
    private final Consumer<Runnable> fxThread;
    private final ConcurrentLinkedQueue<LogLine> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final ObservableList<LogLine> lines = FXCollections.observableArrayList();

    /** @param fxThread runs a task on the FX thread (tests pass {@code Runnable::run}) */
    public LogBuffer(int capacity, Consumer<Runnable> fxThread) {
        this.capacity = capacity;
        this.fxThread = fxThread;
    }

    /** The app-wide buffer: the logback appender and the job area write here. */
    public static LogBuffer shared() {
        return SHARED;
    }

    public ObservableList<LogLine> lines() {
        return lines;
    }

    public void append(LogLine.Level level, String source, String text) {
        for (String part : text.split("\\R", -1)) {
            pending.add(new LogLine(Instant.now(), level, source, part));
        }
        while (pending.size() > capacity) pending.poll();
        if (flushScheduled.compareAndSet(false, true)) fxThread.accept(this::flush);
    }

    public void clear() {
        lines.clear();
    }

    /** Moves waiting lines into {@link #lines()} now; call on the FX thread (the console does on creation). */
    public void drain() {
        flush();
    }

    private void flush() {
        flushScheduled.set(false);
        List<LogLine> batch = new ArrayList<>();
        for (LogLine l; (l = pending.poll()) != null; ) batch.add(l);
        if (batch.isEmpty()) return;
        int overflow = lines.size() + batch.size() - capacity;
        if (overflow > 0) {
            if (overflow >= lines.size()) {
                lines.setAll(batch.subList(batch.size() - Math.min(batch.size(), capacity), batch.size()));
                return;
            }
            lines.remove(0, overflow);
        }
        lines.addAll(batch);
    }

    /** Before the toolkit starts (CLI use, early start-up) lines wait in the queue. */
    private static void runLaterIfStarted(Runnable r) {
        try {
            Platform.runLater(r);
        } catch (IllegalStateException toolkitNotStarted) {
            SHARED.flushScheduled.set(false);
        }
    }
}
