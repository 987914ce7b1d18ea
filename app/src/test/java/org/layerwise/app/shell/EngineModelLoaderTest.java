package org.layerwise.app.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RecurrentModel;
import org.layerwise.engine.model.RecurrentSpec;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineModelLoaderTest {
    private static final LoadOptions CPU = new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32);

    private static final JobContext QUIET = new JobContext() {
        @Override public void progress(double fraction, String message) {}
        @Override public void metric(String name, long step, double value) {}
        @Override public void log(String line) {}
        @Override public void trace(String kind, String json) {}
        @Override public Path artifact(String name, Path file) { return file; }
        @Override public boolean isCancelled() { return false; }
        @Override public long runId() { return -1; }
    };

    @Test
    void opensABuildersRecurrentFolder(@TempDir Path dir) throws Exception {
        RecurrentSpec spec = new RecurrentSpec(RecurrentSpec.Cell.GRU, 32, 16, 2, 24, true, false, 1e-5, true, false);
        try (RecurrentModel built = RecurrentModel.create(spec, 1, 0.02, null, CPU, null)) {
            built.save(dir.resolve("gru"));
        }
        try (LanguageModel model = new EngineModelLoader(CPU).load(dir.resolve("gru"), QUIET)) {
            assertThat(model).isInstanceOf(RecurrentModel.class);
            assertThat(model.parameterCount()).isEqualTo(spec.parameterCount());
            assertThat(model.summary()).startsWith("gru · 2 layers");
        }
    }

    @Test
    void refusesAnEncoderDecoderFolderWithTheReason(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"t5\", \"d_model\": 64}");
        assertThatThrownBy(() -> new EngineModelLoader(CPU).load(dir, QUIET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encoder-decoder model (T5)")
                .hasMessageContaining("EncoderDecoderModel.load");
    }
}
