package org.layerwise.app.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.checkpoint.SafetensorsFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** forward, generate and models info on the Hugging Face golden folders and the bundled sample model. */
class EngineCommandsTest {
    @TempDir Path tmp;

    CliRun layerwise(String... args) {
        return CliRun.of(args);
    }

    static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("tests/src/test/resources/golden"))) p = p.getParent();
        return p;
    }

    static Path golden(String name) {
        return repo().resolve("tests/src/test/resources/golden").resolve(name);
    }

    @Test
    void forwardWritesHuggingFaceLogitsAndTaps() throws Exception {
        Path out = tmp.resolve("out.safetensors");
        try (NDManager m = NDManager.newBaseManager();
             SafetensorsFile g = SafetensorsFile.open(golden("llama-gqa").resolve("golden.safetensors"))) {
            long[] ids = g.load("input_ids", m).toLongArray();
            String idList = String.join(",", Arrays.stream(ids).mapToObj(Long::toString).toList());
            CliRun r = layerwise("forward", "--model", golden("llama-gqa").toString(), "--ids", idList,
                    "--out", out.toString(), "--taps", "blocks.*.resid_post,final_norm", "--device", "cpu");
            assertThat(r.exit()).as(r.err()).isZero();
            try (SafetensorsFile f = SafetensorsFile.open(out)) {
                assertThat(f.tensors()).containsKeys("logits", "blocks.0.resid_post", "blocks.1.resid_post", "final_norm");
                NDArray logits = f.load("logits", m);
                assertThat(logits.getShape().getShape()).containsExactly(ids.length, 96);
                assertThat(logits.sub(g.load("logits", m)).abs().max().getFloat()).isLessThanOrEqualTo(1e-4f);
                assertThat(f.load("blocks.0.resid_post", m).sub(g.load("hidden.1", m)).abs().max().getFloat())
                        .isLessThanOrEqualTo(1e-4f);
            }
        }
    }

    @Test
    void forwardRejectsIdsOutsideTheVocabularyAndUnknownTaps() {
        CliRun ids = layerwise("forward", "--model", golden("gpt2").toString(), "--ids", "1,999",
                "--out", tmp.resolve("x.safetensors").toString());
        assertThat(ids.exit()).isEqualTo(1);
        assertThat(ids.err()).contains("token id 999 is outside the vocabulary [0, 96)");
        CliRun taps = layerwise("forward", "--model", golden("gpt2").toString(), "--ids", "1,2",
                "--out", tmp.resolve("x.safetensors").toString(), "--taps", "blocks.*.nothing");
        assertThat(taps.exit()).isEqualTo(1);
        assertThat(taps.err()).contains("no tap point matches 'blocks.*.nothing'");
        assertThat(tmp.resolve("x.safetensors")).doesNotExist();
    }

    @Test
    void generateAnswersAFactAndRecordsTheRun() {
        Path data = tmp.resolve("data");
        CliRun r = layerwise("generate", "--model", repo().resolve("sample-data/models/facts-llama").toString(),
                "--prompt", "The capital of France is", "--max-new-tokens", "3", "--data-dir", data.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("The capital of France is Paris");
        CliRun runs = layerwise("runs", "list", "--data-dir", data.toString());
        assertThat(runs.out()).contains("engine").contains("generate").contains("SUCCEEDED");
    }

    @Test
    void modelsInfoDescribesWithoutLoadingAndBadFoldersSayWhy() throws Exception {
        CliRun r = layerwise("models", "info", golden("gptj").toString(), "--device", "cpu");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("gptj · 2 layers · d=32 · 4 heads").contains("parameters    31,328")
                .contains("rotary interleaved (dim 4").contains("fits");

        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        Files.copy(golden("gpt2").resolve("config.json"), broken.resolve("config.json"));
        byte[] weights = Files.readAllBytes(golden("gpt2").resolve("model.safetensors"));
        Files.write(broken.resolve("model.safetensors"), Arrays.copyOf(weights, weights.length / 2));
        CliRun bad = layerwise("models", "info", broken.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("model.safetensors");
    }
}
