package org.layerwise.engine.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP backend against a local server that behaves well, stalls, drops the connection, lies and fails. */
class HttpBackendTest {
    private static final String KEY = "sk-test-SECRET-1234567890";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server does on the n-th request (0-based). */
    interface Script { void answer(int n, HttpExchange ex) throws Exception; }

    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> auth = new ConcurrentLinkedQueue<>();

    private String start(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", ex -> {
            int n = hits.getAndIncrement();
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String a = ex.getRequestHeaders().getFirst("Authorization");
            if (a != null) auth.add(a);
            try {
                script.answer(n, ex);
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    static String ok(String text) {
        return "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":" + JSON.valueToTree(text) + "},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14}}";
    }

    private HttpBackend backend(String url, Duration read, int retries) {
        return new HttpBackend(HttpBackend.Settings.of(url, "m1", KEY)
                .withTimeouts(Duration.ofSeconds(2), read).withRetries(retries, Duration.ofMillis(20)));
    }

    private static final List<ChatMessage> HELLO = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"));

    @Test
    void sendsTheRequestAndCountsUsageFromTheServer() throws Exception {
        String url = start((n, ex) -> reply(ex, 200, ok("Hello")));
        HttpBackend b = backend(url, Duration.ofSeconds(5), 0);
        Completion c = b.complete(HELLO, new CompletionOptions(7, 0.6, List.of("\n\n"), 42));
        assertThat(c.text()).isEqualTo("Hello");
        assertThat(c.inputTokens()).isEqualTo(11);
        assertThat(c.outputTokens()).isEqualTo(3);
        assertThat(c.finishReason()).isEqualTo("stop");
        JsonNode req = JSON.readTree(bodies.peek());
        assertThat(req.path("model").asText()).isEqualTo("m1");
        assertThat(req.path("max_tokens").asInt()).isEqualTo(7);
        assertThat(req.path("temperature").asDouble()).isEqualTo(0.6);
        assertThat(req.path("stop").get(0).asText()).isEqualTo("\n\n");
        assertThat(req.path("seed").asLong()).isEqualTo(42);
        assertThat(req.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(req.path("messages").get(1).path("content").asText()).isEqualTo("Hi");
        assertThat(auth).containsExactly("Bearer " + KEY);
        b.complete(HELLO, CompletionOptions.greedy(4));
        assertThat(b.usage()).isEqualTo(new Usage(2, 22, 6, 0));
    }

    @Test
    void retriesA500AndLosesNothing() throws Exception {
        String url = start((n, ex) -> {
            if (n < 2) reply(ex, 500, "{\"error\":{\"message\":\"worker crashed\"}}");
            else reply(ex, 200, ok("fine " + n));
        });
        HttpBackend b = backend(url, Duration.ofSeconds(5), 3);
        assertThat(b.complete(HELLO, CompletionOptions.greedy(4)).text()).isEqualTo("fine 2");
        assertThat(hits.get()).isEqualTo(3);
        assertThat(b.retries()).isEqualTo(2);
        assertThat(b.usage().calls()).isEqualTo(1);
        assertThat(b.usage().failedCalls()).isZero();
    }

    @Test
    void aStalledServerIsReportedAsATimeoutAndTheNextCallStillWorks() throws Exception {
        String url = start((n, ex) -> {
            if (n < 2) Thread.sleep(1500);
            reply(ex, 200, ok("late " + n));
        });
        HttpBackend b = backend(url, Duration.ofMillis(300), 1);
        assertThatThrownBy(() -> b.complete(HELLO, CompletionOptions.greedy(4)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("No answer from " + url + "/chat/completions")
                .hasMessageContaining("stalled")
                .hasMessageContaining("raise the read timeout")
                .hasMessageContaining("gave up after 2 attempts")
                .satisfies(e -> assertThat(((BackendException) e).retryable()).isTrue());
        assertThat(b.usage().failedCalls()).isEqualTo(1);
        assertThat(b.complete(HELLO, CompletionOptions.greedy(4)).text()).isEqualTo("late 2");
        assertThat(b.usage().calls()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionIsRetriedThenReported() throws Exception {
        String url = start((n, ex) -> {
            if (n == 0 || n >= 2) throw new IOException("drop"); // the server closes the socket without a status line
            else reply(ex, 200, ok("after drop"));
        });
        HttpBackend b = backend(url, Duration.ofSeconds(5), 2);
        assertThat(b.complete(HELLO, CompletionOptions.greedy(4)).text()).isEqualTo("after drop");
        HttpBackend noRetry = backend(url, Duration.ofSeconds(5), 0);
        assertThatThrownBy(() -> noRetry.complete(HELLO, CompletionOptions.greedy(4)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("was dropped before a full answer")
                .hasMessageContaining("crashed or restarted");
    }

    @Test
    void malformedJsonIsReportedWithTheStartOfTheBody() throws Exception {
        String url = start((n, ex) -> reply(ex, 200, "{\"choices\": [ oops"));
        HttpBackend b = backend(url, Duration.ofSeconds(5), 1);
        assertThatThrownBy(() -> b.complete(HELLO, CompletionOptions.greedy(4)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("Malformed JSON from " + url + "/chat/completions")
                .hasMessageContaining("{\"choices\": [ oops")
                .hasMessageContaining("OpenAI-compatible");
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void jsonWithoutAMessageIsReportedNotRetried() throws Exception {
        String url = start((n, ex) -> reply(ex, 200, "{\"result\":\"hello\"}"));
        HttpBackend b = backend(url, Duration.ofSeconds(5), 3);
        assertThatThrownBy(() -> b.complete(HELLO, CompletionOptions.greedy(4)))
                .hasMessageContaining("no choices[0].message.content");
        assertThat(hits.get()).isEqualTo(1);
    }

    @Test
    void theKeyNeverAppearsInNamesOrErrorsEvenWhenTheServerEchoesIt() throws Exception {
        String url = start((n, ex) -> reply(ex, 401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
        HttpBackend b = backend(url, Duration.ofSeconds(5), 3);
        assertThat(b.name()).doesNotContain(KEY);
        assertThat(b.settings().toString()).doesNotContain(KEY).contains("apiKey=set");
        assertThatThrownBy(() -> b.complete(HELLO, CompletionOptions.greedy(4)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("check the API key")
                .hasMessageNotContaining(KEY)
                .hasMessageContaining("***");
        assertThat(hits.get()).isEqualTo(1); // 401 is not retried
    }

    @Test
    void rateLimitingHonoursRetryAfter() throws Exception {
        String url = start((n, ex) -> {
            if (n == 0) {
                ex.getResponseHeaders().add("Retry-After", "0");
                reply(ex, 429, "{\"error\":\"slow down\"}");
            } else reply(ex, 200, ok("ok"));
        });
        HttpBackend b = backend(url, Duration.ofSeconds(5), 1);
        assertThat(b.complete(HELLO, CompletionOptions.greedy(4)).text()).isEqualTo("ok");
    }

    @Test
    void aRefusedConnectionSaysToStartTheServer() throws Exception {
        String url = start((n, ex) -> reply(ex, 200, ok("x")));
        server.stop(0);
        server = null;
        HttpBackend b = backend(url, Duration.ofSeconds(2), 0);
        assertThatThrownBy(() -> b.complete(HELLO, CompletionOptions.greedy(4)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("start the server");
    }

    @Test
    void noMoreThanMaxConcurrentRequestsAreInFlight() throws Exception {
        AtomicInteger now = new AtomicInteger(), peak = new AtomicInteger();
        String url = start((n, ex) -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.sleep(100);
            now.decrementAndGet();
            reply(ex, 200, ok("c" + n));
        });
        HttpBackend b = new HttpBackend(HttpBackend.Settings.of(url, "m1", null).withMaxConcurrent(2));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Completion>> fs = new ArrayList<>();
        for (int i = 0; i < 6; i++) fs.add(pool.submit(() -> b.complete(HELLO, CompletionOptions.greedy(2))));
        for (Future<Completion> f : fs) f.get();
        pool.shutdown();
        assertThat(peak.get()).isEqualTo(2);
        assertThat(b.usage().calls()).isEqualTo(6);
        assertThat(auth).isEmpty();
    }

    @Test
    void settingsComeFromTheEnvironmentAndUrlsAreNormalised() {
        HttpBackend.Settings s = HttpBackend.Settings.fromEnvironment(
                Map.of("LAYERWISE_LLM_BASE_URL", "http://h:1/v1/", "OPENAI_API_KEY", "k", "LAYERWISE_LLM_MODEL", "q"), null, null);
        assertThat(s.baseUrl()).isEqualTo("http://h:1/v1");
        assertThat(s.model()).isEqualTo("q");
        assertThat(s.apiKey()).isEqualTo("k");
        assertThat(HttpBackend.Settings.of("http://h:2", null, null).baseUrl()).isEqualTo("http://h:2/v1");
        assertThat(HttpBackend.Settings.of("https://h/api/v1/chat/completions", null, null).baseUrl()).isEqualTo("https://h/api/v1");
        assertThatThrownBy(() -> HttpBackend.Settings.fromEnvironment(Map.of(), null, null))
                .hasMessageContaining("LAYERWISE_LLM_BASE_URL");
        assertThatThrownBy(() -> HttpBackend.Settings.of("localhost:8080", null, null)).hasMessageContaining("http://");
    }
}
