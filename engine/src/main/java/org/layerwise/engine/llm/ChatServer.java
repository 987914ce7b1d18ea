package org.layerwise.engine.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.TransformerModel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An engine model served over the OpenAI chat-completions API ({@code POST /v1/chat/completions},
 * {@code GET /v1/models}), non-streaming: {@code max_tokens}, {@code temperature} (0 = greedy), {@code stop},
 * {@code seed}; answers carry {@code usage}. Messages are rendered as {@link LocalBackend#render} does. A prompt
 * longer than the model's positions keeps its last tokens (leaving room for {@code max_tokens}), as servers with
 * prompt truncation do, so a small model still answers long prompts. One generation runs at a time.
 */
public final class ChatServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TransformerModel model;
    private final String modelId;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong calls = new AtomicLong(), in = new AtomicLong(), out = new AtomicLong();

    private ChatServer(TransformerModel model, String modelId, HttpServer server, ExecutorService executor) {
        this.model = model;
        this.modelId = modelId;
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving {@code model} as {@code modelId} on host:port (port 0 picks a free one). */
    public static ChatServer start(TransformerModel model, String modelId, String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "layerwise-serve");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        ChatServer s = new ChatServer(model, modelId, server, executor);
        server.createContext("/v1/chat/completions", s::chat);
        server.createContext("/v1/models", s::models);
        server.createContext("/", ex -> s.error(ex, 404, "Unknown path " + ex.getRequestURI().getPath()
                + "; this server answers POST /v1/chat/completions and GET /v1/models", "not_found"));
        server.start();
        return s;
    }

    /** The API root clients use, e.g. {@code http://127.0.0.1:8080/v1}. */
    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + a.getPort() + "/v1";
    }

    public int port() { return server.getAddress().getPort(); }

    public String modelId() { return modelId; }

    /** Requests answered and tokens read and written so far. */
    public Usage usage() { return new Usage(calls.get(), in.get(), out.get(), 0); }

    private void models(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod())) {
            error(ex, 405, "Use GET /v1/models", "invalid_request_error");
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        body.putArray("data").addObject().put("id", modelId).put("object", "model").put("owned_by", "layerwise")
                .put("max_model_len", model.spec().maxPositions());
        send(ex, 200, body.toString());
    }

    private void chat(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            error(ex, 405, "Use POST /v1/chat/completions", "invalid_request_error");
            return;
        }
        JsonNode req;
        try {
            req = JSON.readTree(ex.getRequestBody());
        } catch (IOException e) {
            error(ex, 400, "The request body is not JSON: " + e.getMessage(), "invalid_request_error");
            return;
        }
        try {
            if (req == null || !req.path("messages").isArray() || req.path("messages").isEmpty())
                throw new IllegalArgumentException("'messages' must be a non-empty array of {role, content}");
            if (req.path("stream").asBoolean(false))
                throw new IllegalArgumentException("streaming is not supported; send \"stream\": false");
            List<ChatMessage> messages = new ArrayList<>();
            for (JsonNode m : req.path("messages")) {
                if (!m.path("content").isTextual())
                    throw new IllegalArgumentException("each message needs a text 'content' (got " + m + ")");
                messages.add(new ChatMessage(m.path("role").asText("user"), m.path("content").asText()));
            }
            int maxTokens = req.has("max_completion_tokens") ? req.path("max_completion_tokens").asInt()
                    : req.path("max_tokens").asInt(64);
            if (maxTokens <= 0) throw new IllegalArgumentException("max_tokens must be positive, was " + maxTokens);
            double temperature = req.path("temperature").asDouble(1.0);
            if (temperature < 0) throw new IllegalArgumentException("temperature must be ≥ 0, was " + temperature);
            List<String> stop = new ArrayList<>();
            JsonNode s = req.path("stop");
            if (s.isTextual()) stop.add(s.asText());
            else for (JsonNode x : s) stop.add(x.asText());
            long seed = req.path("seed").asLong(0);
            String requested = req.path("model").asText(modelId);
            if (!requested.isEmpty() && !requested.equals(modelId)) {
                error(ex, 404, "The model '" + requested + "' is not served here; this server serves '" + modelId + "'",
                        "model_not_found");
                return;
            }
            Generation g = generate(LocalBackend.render(messages), maxTokens, temperature, stop, seed);
            calls.incrementAndGet();
            in.addAndGet(g.promptTokens());
            out.addAndGet(g.tokenIds().length);
            ObjectNode body = JSON.createObjectNode();
            body.put("id", "chatcmpl-" + UUID.randomUUID()).put("object", "chat.completion")
                    .put("created", System.currentTimeMillis() / 1000).put("model", modelId);
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", g.text());
            choice.put("finish_reason", "length".equals(g.finishReason()) ? "length" : "stop");
            body.putObject("usage").put("prompt_tokens", g.promptTokens()).put("completion_tokens", g.tokenIds().length)
                    .put("total_tokens", g.promptTokens() + g.tokenIds().length);
            send(ex, 200, body.toString());
        } catch (IllegalArgumentException e) {
            error(ex, 400, e.getMessage(), "invalid_request_error");
        } catch (RuntimeException e) {
            error(ex, 500, "Generation failed: " + e, "server_error");
        }
    }

    /** Keeps the prompt's last tokens when it would not leave room for the answer. */
    private synchronized Generation generate(String prompt, int maxTokens, double temperature, List<String> stop, long seed) {
        int[] ids = model.encode(prompt).ids();
        if (ids.length == 0) throw new IllegalArgumentException("The prompt has no tokens");
        int positions = model.spec().maxPositions();
        int keep = Math.max(1, Math.min(ids.length, positions - Math.min(maxTokens, positions / 2)));
        if (keep < ids.length) ids = Arrays.copyOfRange(ids, ids.length - keep, ids.length);
        GenerationConfig config = new GenerationConfig(maxTokens, temperature, 0, 1.0, seed, stop, true);
        return model.generate(ids, config, null);
    }

    private void error(HttpExchange ex, int status, String message, String type) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type);
        send(ex, status, body.toString());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (var os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    /** Stops accepting requests and waits up to a second for those in progress. The model is the caller's. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
