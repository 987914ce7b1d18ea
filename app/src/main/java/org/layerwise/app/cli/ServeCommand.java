package org.layerwise.app.cli;

import org.layerwise.engine.llm.ChatServer;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.sdk.cli.CliSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code layerwise serve}: an engine model over the OpenAI chat-completions API, so the HTTP backend (or any
 * OpenAI client) can use it; e.g. a GPU machine serving a model to a laptop. Runs until Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model over the OpenAI-compatible API (POST /v1/chat/completions, GET /v1/models).",
                "Non-streaming; max_tokens, temperature (0 = greedy), stop and seed are honoured. Runs until Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions model;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0 = any free one; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; there is no authentication).")
    String host;

    @Option(names = "--name", paramLabel = "ID", description = "Model id clients send (default: the folder name).")
    String name;

    /** Lets a test stop the server; the command line waits on it. */
    final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    volatile ChatServer server;

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, () -> {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, was " + port);
            try (TransformerModel m = model.load()) {
                String id = name != null ? name : m.directory() != null ? m.directory().getFileName().toString() : m.name();
                try {
                    server = ChatServer.start(m, id, host, port);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("Cannot listen on " + host + ":" + port + " (" + e.getMessage()
                            + "); pick another --port or stop what uses it", e);
                }
                if (!InetAddress.getByName(host).isLoopbackAddress())
                    err.println("serve: warning: listening on " + host + " without authentication; anyone who can reach it can use the model");
                // on Ctrl-C: let the main thread close the server and report before the JVM exits
                Thread hook = new Thread(() -> {
                    stopped.countDown();
                    try {
                        closed.await(5, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException ignored) {
                        // exiting anyway
                    }
                }, "layerwise-serve-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                out.printf("serving %s (%s, %d positions) at %s  (Ctrl-C to stop)%n", id, m.dtype(),
                        m.spec().maxPositions(), server.baseUrl());
                out.printf("try: curl %s/chat/completions -H 'Content-Type: application/json' -d '{\"model\":\"%s\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"The capital of France is\"}],\"max_tokens\":4,\"temperature\":0}'%n",
                        server.baseUrl(), id);
                out.flush();
                try {
                    stopped.await();
                } finally {
                    server.close();
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException exiting) {
                        // already shutting down
                    }
                    err.printf("serve: stopped after %d request%s (%d tokens in, %d out)%n", server.usage().calls(),
                            server.usage().calls() == 1 ? "" : "s",
                            server.usage().inputTokens(), server.usage().outputTokens());
                    err.flush();
                    closed.countDown();
                }
            }
            return 0;
        });
    }
}
