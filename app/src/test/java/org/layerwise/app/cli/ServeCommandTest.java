package org.layerwise.app.cli;

import org.junit.jupiter.api.Test;
import org.layerwise.engine.llm.ChatMessage;
import org.layerwise.engine.llm.CompletionOptions;
import org.layerwise.engine.llm.HttpBackend;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code layerwise serve} answers the HTTP backend until it is stopped. */
class ServeCommandTest {
    @Test
    void servesASampleModelUntilStopped() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("sample-data/models/facts-llama"))) root = root.getParent();
        ServeCommand serve = new ServeCommand();
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(serve);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        Path model = root.resolve("sample-data/models/facts-llama");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("--model", model.toString(), "--port", "0"));
        for (int i = 0; i < 300 && serve.server == null && !exit.isDone(); i++) Thread.sleep(50);
        assertThat(serve.server).as(err.toString()).isNotNull();
        HttpBackend http = new HttpBackend(HttpBackend.Settings.of(serve.server.baseUrl(), null, null));
        assertThat(http.model()).isEqualTo("facts-llama");
        assertThat(http.complete(List.of(ChatMessage.user("The capital of France is")), CompletionOptions.greedy(2)).text())
                .startsWith(" Paris");
        serve.stopped.countDown();
        assertThat(exit.get()).isZero();
        assertThat(out.toString()).contains("serving facts-llama").contains(serve.server.baseUrl());
        assertThat(err.toString()).contains("stopped after 1 request (");
    }
}
