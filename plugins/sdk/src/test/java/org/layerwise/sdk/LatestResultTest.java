package org.layerwise.sdk;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class LatestResultTest {
    /** Holds submitted work until the test finishes it, in any order. */
    static final class HeldTasks implements TaskExecutor {
        record Held(Callable<Object> work, Consumer<Object> onSuccess, Consumer<Throwable> onFailure) {
            void finish() {
                Object value;
                try {
                    value = work.call();
                } catch (Throwable t) {
                    onFailure.accept(t);
                    return;
                }
                onSuccess.accept(value);
            }
        }

        final Deque<Held> held = new ArrayDeque<>();

        @Override
        @SuppressWarnings("unchecked")
        public <T> void execute(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            held.add(new Held((Callable<Object>) work, v -> onSuccess.accept((T) v), onFailure));
        }
    }

    private final HeldTasks tasks = new HeldTasks();
    private final List<String> delivered = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();
    private final LatestResult<String> latest = new LatestResult<>(tasks, delivered::add, failures::add);

    private Callable<String> work(String name) {
        return () -> {
            ran.add(name);
            return name;
        };
    }

    @Test
    void aStaleResultNeverOverwritesANewerOne() {
        latest.request(work("a"));
        latest.request(work("b"));
        latest.request(work("c"));
        assertThat(tasks.held).hasSize(1); // only "a" runs; "c" waits; "b" was superseded before starting

        tasks.held.poll().finish(); // "a" finishes late: dropped, and "c" starts
        assertThat(delivered).isEmpty();
        assertThat(tasks.held).hasSize(1);

        tasks.held.poll().finish();
        assertThat(delivered).containsExactly("c");
        assertThat(ran).containsExactly("a", "c");
        assertThat(latest.isBusy()).isFalse();
    }

    @Test
    void anUncontestedRequestIsDelivered() {
        latest.request(work("only"));
        tasks.held.poll().finish();
        assertThat(delivered).containsExactly("only");
    }

    @Test
    void staleFailuresAreDroppedToo() {
        latest.request(() -> {
            throw new IllegalStateException("stale failure");
        });
        latest.request(work("fresh"));
        tasks.held.poll().finish();
        tasks.held.poll().finish();
        assertThat(failures).isEmpty();
        assertThat(delivered).containsExactly("fresh");
    }

    @Test
    void currentFailuresAreReported() {
        latest.request(() -> {
            throw new java.io.IOException("no model loaded");
        });
        tasks.held.poll().finish();
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("no model loaded"));
    }

    @Test
    void cooperativeWorkSeesItWasSuperseded() {
        List<Boolean> seen = new ArrayList<>();
        latest.request(superseded -> {
            seen.add(superseded.getAsBoolean());
            throw new CancellationException();
        });
        latest.request(work("newer"));
        tasks.held.poll().finish();
        tasks.held.poll().finish();
        assertThat(seen).containsExactly(true);
        assertThat(failures).isEmpty();
        assertThat(delivered).containsExactly("newer");
    }

    @Test
    void cancelDropsEverythingPending() {
        latest.request(work("a"));
        latest.request(work("b"));
        latest.cancel();
        tasks.held.poll().finish();
        assertThat(tasks.held).isEmpty();
        assertThat(delivered).isEmpty();
        assertThat(latest.isBusy()).isFalse();
    }

    @Test
    void worksWithTheSynchronousExecutor() {
        LatestResult<String> sync = new LatestResult<>(TaskExecutor.synchronous(), delivered::add, failures::add);
        sync.request(work("x"));
        sync.request(work("y"));
        assertThat(delivered).containsExactly("x", "y");
    }
}
