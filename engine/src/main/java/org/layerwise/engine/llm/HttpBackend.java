package org.layerwise.engine.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible server ({@code POST {base}/chat/completions}: vLLM, llama.cpp, Ollama, OpenAI,
 * {@code ./layerwise serve}) as a text backend. Timeouts on connect and on the whole answer; 429, 5xx, timeouts and
 * dropped connections are retried with exponential back-off (honouring Retry-After); at most
 * {@code maxConcurrent} requests are in flight. Tokens are taken from the answer's {@code usage}; a server that sends
 * none is counted at about four characters a token. The API key is sent as a bearer token and never appears in
 * {@link #name()}, {@link Settings#toString()} or any exception message.
 */
public final class HttpBackend implements TextBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where and how to call. {@code baseUrl} is the API root, e.g. {@code http://127.0.0.1:8080/v1} (a bare host gets
     * {@code /v1}; a full {@code …/chat/completions} URL is cut back to its root). {@code model} may be null: the
     * first model of {@code GET /models} is used.
     */
    public record Settings(String baseUrl, String model, String apiKey, Duration connectTimeout, Duration readTimeout,
                           int maxRetries, Duration initialBackoff, int maxConcurrent) {
        public Settings {
            if (baseUrl == null || baseUrl.isBlank()) throw new IllegalArgumentException("The backend URL is empty");
            baseUrl = apiRoot(baseUrl);
            if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be ≥ 0, was " + maxRetries);
            if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be ≥ 1, was " + maxConcurrent);
            apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        }

        /** Defaults: 10 s to connect, 120 s for an answer, 4 retries from 1 s doubling, 4 requests at a time. */
        public static Settings of(String baseUrl, String model, String apiKey) {
            return new Settings(baseUrl, model, apiKey, Duration.ofSeconds(10), Duration.ofSeconds(120), 4,
                    Duration.ofSeconds(1), 4);
        }

        /**
         * From the environment: LAYERWISE_LLM_BASE_URL (else OPENAI_BASE_URL), LAYERWISE_LLM_MODEL, LAYERWISE_LLM_API_KEY
         * (else OPENAI_API_KEY). {@code url} and {@code model}, when given, win over the environment.
         */
        public static Settings fromEnvironment(Map<String, String> env, String url, String model) {
            String base = firstSet(url, env.get("LAYERWISE_LLM_BASE_URL"), env.get("OPENAI_BASE_URL"));
            if (base == null)
                throw new IllegalArgumentException("No backend URL: pass one (e.g. http://127.0.0.1:8080/v1) or set LAYERWISE_LLM_BASE_URL");
            return of(base, firstSet(model, env.get("LAYERWISE_LLM_MODEL")),
                    firstSet(env.get("LAYERWISE_LLM_API_KEY"), env.get("OPENAI_API_KEY")));
        }

        public Settings withModel(String m) {
            return new Settings(baseUrl, m, apiKey, connectTimeout, readTimeout, maxRetries, initialBackoff, maxConcurrent);
        }

        public Settings withTimeouts(Duration connect, Duration read) {
            return new Settings(baseUrl, model, apiKey, connect, read, maxRetries, initialBackoff, maxConcurrent);
        }

        public Settings withRetries(int retries, Duration backoff) {
            return new Settings(baseUrl, model, apiKey, connectTimeout, readTimeout, retries, backoff, maxConcurrent);
        }

        public Settings withMaxConcurrent(int n) {
            return new Settings(baseUrl, model, apiKey, connectTimeout, readTimeout, maxRetries, initialBackoff, n);
        }

        /** Never shows the key, only whether there is one. */
        @Override public String toString() {
            return "Settings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "set")
                    + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", maxRetries=" + maxRetries
                    + ", initialBackoff=" + initialBackoff + ", maxConcurrent=" + maxConcurrent + "]";
        }

        private static String firstSet(String... values) {
            for (String v : values) if (v != null && !v.isBlank()) return v.trim();
            return null;
        }

        static String apiRoot(String url) {
            String u = url.trim();
            while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
            if (u.endsWith("/chat/completions")) u = u.substring(0, u.length() - "/chat/completions".length());
            URI uri = URI.create(u);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")))
                throw new IllegalArgumentException("The backend URL must start with http:// or https://, was " + u);
            if (uri.getPath() == null || uri.getPath().isEmpty()) u = u + "/v1";
            return u;
        }
    }

    private final Settings settings;
    private final HttpClient client;
    private final Semaphore inFlight;
    private final AtomicLong calls = new AtomicLong(), in = new AtomicLong(), out = new AtomicLong(),
            failed = new AtomicLong(), retries = new AtomicLong();
    private volatile String model;

    public HttpBackend(Settings settings) {
        this.settings = settings;
        this.model = settings.model();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).build();
        this.inFlight = new Semaphore(settings.maxConcurrent(), true);
    }

    public Settings settings() { return settings; }

    @Override public String name() { return settings.baseUrl() + " model=" + (model == null ? "(server default)" : model); }

    /** Requests that were retried (each retry counts once). */
    public long retries() { return retries.get(); }

    /** The model name sent with each request: the configured one, else the first the server lists. */
    public synchronized String model() throws BackendException {
        if (model == null) {
            JsonNode body = send("GET", settings.baseUrl() + "/models", null);
            JsonNode first = body.path("data").path(0).path("id");
            if (!first.isTextual())
                throw new BackendException(settings.baseUrl() + "/models lists no model; pass the model name (--model or LAYERWISE_LLM_MODEL)", false);
            model = first.asText();
        }
        return model;
    }

    /** The ids of {@code GET /models}. */
    public List<String> listModels() throws BackendException {
        JsonNode body = send("GET", settings.baseUrl() + "/models", null);
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode m : body.path("data")) if (m.path("id").isTextual()) ids.add(m.path("id").asText());
        return ids;
    }

    @Override
    public Completion complete(List<ChatMessage> messages, CompletionOptions options) throws BackendException {
        ObjectNode req = JSON.createObjectNode();
        req.put("model", model());
        ArrayNode msgs = req.putArray("messages");
        for (ChatMessage m : messages) msgs.addObject().put("role", m.role()).put("content", m.content());
        req.put("max_tokens", options.maxTokens());
        req.put("temperature", options.temperature());
        if (!options.stop().isEmpty()) {
            ArrayNode stop = req.putArray("stop");
            options.stop().forEach(stop::add);
        }
        if (options.seed() != 0) req.put("seed", options.seed());
        req.put("stream", false);
        String url = settings.baseUrl() + "/chat/completions";
        JsonNode body;
        try {
            body = send("POST", url, req.toString());
        } catch (BackendException e) {
            failed.incrementAndGet();
            throw e;
        }
        JsonNode choice = body.path("choices").path(0);
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual() && !content.isNull()) {
            failed.incrementAndGet();
            throw new BackendException("The answer from " + url + " has no choices[0].message.content (got: "
                    + snippet(body.toString()) + "); check that the URL is an OpenAI-compatible chat-completions API", false);
        }
        String text = content.isTextual() ? content.asText() : "";
        JsonNode usage = body.path("usage");
        int inTokens = usage.path("prompt_tokens").isNumber() ? usage.path("prompt_tokens").asInt() : estimateTokens(messages);
        int outTokens = usage.path("completion_tokens").isNumber() ? usage.path("completion_tokens").asInt()
                : (text.length() + 3) / 4;
        calls.incrementAndGet();
        in.addAndGet(inTokens);
        out.addAndGet(outTokens);
        String reason = choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : "stop";
        return new Completion(text, inTokens, outTokens, reason);
    }

    @Override public Usage usage() { return new Usage(calls.get(), in.get(), out.get(), failed.get()); }

    private static int estimateTokens(List<ChatMessage> messages) {
        int chars = 0;
        for (ChatMessage m : messages) chars += m.content().length();
        return (chars + 3) / 4;
    }

    /** One request with retries; returns the parsed JSON body of a 2xx answer. */
    private JsonNode send(String method, String url, String body) throws BackendException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(settings.readTimeout())
                .header("Accept", "application/json");
        if (settings.apiKey() != null) b.header("Authorization", "Bearer " + settings.apiKey());
        HttpRequest request = body == null ? b.GET().build()
                : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        BackendException last = null;
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            if (attempt > 0) {
                retries.incrementAndGet();
                pause(attempt, last);
            }
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("Interrupted while waiting to call " + url, false, e);
            }
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpConnectTimeoutException e) {
                last = new BackendException("Could not connect to " + url + " within " + settings.connectTimeout().toSeconds()
                        + " s; check that the server is running and the URL is right", true, null);
                continue;
            } catch (HttpTimeoutException e) {
                last = new BackendException("No answer from " + url + " within " + settings.readTimeout().toSeconds()
                        + " s (the server stalled or is overloaded); raise the read timeout or lower the concurrency", true, null);
                continue;
            } catch (ConnectException e) {
                last = new BackendException("Connection to " + url + " refused; start the server (e.g. ./layerwise serve) "
                        + "or fix the URL", true, null);
                continue;
            } catch (IOException e) {
                last = new BackendException("The connection to " + url + " was dropped before a full answer ("
                        + redact(String.valueOf(e.getMessage())) + "); the server may have crashed or restarted", true, null);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("Interrupted while calling " + url, false, e);
            } finally {
                inFlight.release();
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                try {
                    return JSON.readTree(response.body());
                } catch (JsonProcessingException e) {
                    // a proxy or a crashing server can cut a body short: worth another try
                    last = new BackendException("Malformed JSON from " + url + " (HTTP " + status + ", body starts: "
                            + snippet(response.body()) + "); check that the URL is an OpenAI-compatible API", true, null);
                    continue;
                }
            }
            String detail = errorDetail(response.body());
            boolean retryable = status == 429 || status == 408 || status >= 500;
            last = new BackendException("HTTP " + status + " from " + url + (detail.isEmpty() ? "" : ": " + detail)
                    + "; " + advice(status), retryable, null);
            if (!retryable) throw last;
            Duration after = retryAfter(response);
            if (after != null) lastRetryAfter.set(after);
        }
        int attempts = settings.maxRetries() + 1;
        throw new BackendException(last.getMessage() + " (gave up after " + attempts + (attempts == 1 ? " attempt)" : " attempts)"),
                true, null);
    }

    private final ThreadLocal<Duration> lastRetryAfter = new ThreadLocal<>();

    private void pause(int attempt, BackendException last) throws BackendException {
        Duration after = lastRetryAfter.get();
        lastRetryAfter.remove();
        long base = settings.initialBackoff().toMillis() << Math.min(attempt - 1, 10);
        long millis = after != null ? after.toMillis() : base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
        try {
            Thread.sleep(Math.min(millis, 60_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while waiting to retry: " + last.getMessage(), false, e);
        }
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        Optional<String> h = response.headers().firstValue("Retry-After");
        if (h.isEmpty()) return null;
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(h.get().trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String advice(int status) {
        return switch (status) {
            case 401, 403 -> "check the API key (LAYERWISE_LLM_API_KEY or OPENAI_API_KEY)";
            case 404 -> "check the base URL (it should end in /v1) and the model name";
            case 400, 422 -> "the server rejected the request; check the model name and options";
            case 429 -> "the server is rate-limiting; lower the concurrency or wait";
            default -> status >= 500 ? "the server failed; check its log" : "see the server's documentation";
        };
    }

    private String errorDetail(String body) {
        if (body == null || body.isBlank()) return "";
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode msg = n.path("error").isTextual() ? n.path("error") : n.path("error").path("message");
            if (msg.isTextual()) return redact(msg.asText());
        } catch (JsonProcessingException ignored) {
            // not JSON: show its start
        }
        return snippet(body);
    }

    private String snippet(String s) {
        String t = redact(s == null ? "" : s.strip().replaceAll("\\s+", " "));
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** Servers sometimes echo the request or headers in errors: never pass the key on. */
    private String redact(String s) {
        String key = settings.apiKey();
        return key == null ? s : s.replace(key, "***");
    }
}
