package org.layerwise.engine.llm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** End to end: the HTTP backend against a real chat server over the bundled facts-llama model. */
class ChatServerTest {
    static TransformerModel model;
    static ChatServer server;

    static Path sampleModel() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-data/models/facts-llama"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("sample-data/models/facts-llama not found above the working directory");
        return p.resolve("sample-data/models/facts-llama");
    }

    @BeforeAll
    static void serve() throws Exception {
        model = TransformerModel.load(sampleModel(), LoadOptions.defaults());
        server = ChatServer.start(model, "facts-llama", "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    @Test
    void answersLikeTheLocalModelAndCountsTokens() throws Exception {
        HttpBackend http = new HttpBackend(HttpBackend.Settings.of(server.baseUrl(), null, null));
        assertThat(http.model()).isEqualTo("facts-llama");
        assertThat(http.listModels()).containsExactly("facts-llama");
        List<ChatMessage> ask = List.of(ChatMessage.user("The capital of France is"));
        Completion remote = http.complete(ask, CompletionOptions.greedy(3));
        Completion local = new LocalBackend(model).complete(ask, CompletionOptions.greedy(3));
        assertThat(remote.text()).startsWith(" Paris").isEqualTo(local.text());
        assertThat(remote.inputTokens()).isEqualTo(local.inputTokens()).isPositive();
        assertThat(remote.outputTokens()).isEqualTo(local.outputTokens());
        assertThat(http.usage().calls()).isEqualTo(1);
        assertThat(http.usage().inputTokens()).isEqualTo(remote.inputTokens());
        assertThat(server.usage().outputTokens()).isGreaterThanOrEqualTo(remote.outputTokens());
    }

    @Test
    void stopStringsAndSamplingWithASeedAreHonoured() throws Exception {
        HttpBackend http = new HttpBackend(HttpBackend.Settings.of(server.baseUrl(), "facts-llama", null));
        List<ChatMessage> ask = List.of(ChatMessage.user("The capital of France is"));
        Completion stopped = http.complete(ask, CompletionOptions.greedy(3).withStop(List.of("Paris")));
        assertThat(stopped.text()).doesNotContain("Paris");
        assertThat(stopped.finishReason()).isEqualTo("stop");
        CompletionOptions sampled = new CompletionOptions(6, 1.5, List.of(), 7);
        assertThat(http.complete(ask, sampled).text()).isEqualTo(http.complete(ask, sampled).text());
    }

    @Test
    void aPromptLongerThanTheModelKeepsItsEnd() throws Exception {
        HttpBackend http = new HttpBackend(HttpBackend.Settings.of(server.baseUrl(), "facts-llama", null));
        String longPrompt = "Paris Paris Paris ".repeat(60) + "The capital of France is";
        Completion c = http.complete(List.of(ChatMessage.user(longPrompt)), CompletionOptions.greedy(3));
        assertThat(c.outputTokens()).isPositive();
        assertThat(c.inputTokens()).isLessThanOrEqualTo(model.spec().maxPositions());
    }

    @Test
    void badRequestsAreAnsweredWithOpenAiStyleErrors() {
        HttpBackend wrongModel = new HttpBackend(HttpBackend.Settings.of(server.baseUrl(), "gpt-4o", null).withRetries(0, java.time.Duration.ZERO));
        assertThatThrownBy(() -> wrongModel.complete(List.of(ChatMessage.user("Hi")), CompletionOptions.greedy(2)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("this server serves 'facts-llama'");
        HttpBackend wrongPath = new HttpBackend(HttpBackend.Settings.of(server.baseUrl().replace("/v1", "/v2"), "facts-llama", null));
        assertThatThrownBy(() -> wrongPath.complete(List.of(ChatMessage.user("Hi")), CompletionOptions.greedy(2)))
                .hasMessageContaining("Unknown path /v2/chat/completions");
    }
}
