package org.layerwise.sdk.fx;

import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class FxTaskExecutorTest {
    private final FxTaskExecutor tasks = new FxTaskExecutor(2);

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() {
        tasks.close();
    }

    @Test
    void worksOffAndDeliversOnTheFxThread() throws Exception {
        AtomicBoolean workOnFx = new AtomicBoolean(true);
        CompletableFuture<Boolean> deliveredOnFx = new CompletableFuture<>();
        CompletableFuture<Integer> value = new CompletableFuture<>();
        tasks.execute(() -> {
            workOnFx.set(Platform.isFxApplicationThread());
            return 6 * 7;
        }, v -> {
            deliveredOnFx.complete(Platform.isFxApplicationThread());
            value.complete(v);
        }, value::completeExceptionally);

        assertThat(value.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(deliveredOnFx.get()).isTrue();
        assertThat(workOnFx.get()).isFalse();
    }

    @Test
    void failuresArriveOnTheFxThread() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Boolean> onFx = new CompletableFuture<>();
        tasks.<Integer>execute(() -> {
            throw new java.io.IOException("tokenizer.json is missing");
        }, v -> failure.complete(null), e -> {
            onFx.complete(Platform.isFxApplicationThread());
            failure.complete(e);
        });
        assertThat(failure.get(10, TimeUnit.SECONDS)).hasMessage("tokenizer.json is missing");
        assertThat(onFx.get()).isTrue();
    }

    @Test
    void workerThreadsAreDaemons() throws Exception {
        CompletableFuture<Boolean> daemon = new CompletableFuture<>();
        tasks.execute(() -> Thread.currentThread().isDaemon(), daemon::complete, daemon::completeExceptionally);
        assertThat(daemon.get(10, TimeUnit.SECONDS)).isTrue();
    }
}
