package org.layerwise.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.train.LanguageModelObjective;
import org.layerwise.engine.train.LearningRateSchedule;
import org.layerwise.engine.train.Sgd;
import org.layerwise.engine.train.TokenBatch;
import org.layerwise.engine.train.Trainer;
import org.layerwise.engine.train.TrainingOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The recurrent model against torch.nn.LSTM / torch.nn.GRU (golden folders made by
 * src/test/resources/recurrent/make_golden.py: logits, the summed next-token loss and every parameter's gradient),
 * save and load, training, and the errors a bad folder gives.
 */
class RecurrentModelTest {
    private static final Path GOLDEN = Path.of("src/test/resources/recurrent");
    private static final Path TOKENIZER = Path.of("src/test/resources/tokenizer/wordlevel");
    private static final LoadOptions CPU32 = LoadOptions.of("cpu", "float32");

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void matchesTorch(String cell) throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             RecurrentModel model = RecurrentModel.load(GOLDEN.resolve(cell), CPU32)) {
            Map<String, NDArray> expected = GoldenFolder.read(GOLDEN.resolve(cell).resolve("expected.safetensors"), m);
            NDArray ids = expected.get("ids");
            assertThat(model.spec().cell().word()).isEqualTo(cell);
            assertClose(model.forward(m, ids), expected.get("logits"), cell + " logits");

            // the loss and every gradient, through the objective the trainer uses
            List<int[]> rows = rows(ids);
            for (NDArray p : model.parameters().values()) p.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector(); NDManager scope = m.newSubManager()) {
                NDArray loss = new LanguageModelObjective(model).lossSum(scope, new TokenBatch(rows));
                collector.backward(loss);
                assertThat((double) loss.getFloat()).isCloseTo(expected.get("loss_sum").getFloat(0), org.assertj.core.data.Offset.offset(1e-3));
            }
            for (Map.Entry<String, NDArray> p : model.parameters().entrySet())
                assertClose(p.getValue().getGradient(), expected.get("grad." + p.getKey()), cell + " gradient of " + p.getKey());
        }
    }

    @Test
    void rightPaddingLeavesRealPositionsAlone() throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             RecurrentModel model = RecurrentModel.load(GOLDEN.resolve("lstm"), CPU32)) {
            NDArray alone = model.logits(m, model.hidden(m, m.create(new long[] {3, 4, 5}, new Shape(1, 3)), null, null));
            NDArray padded = model.logits(m, model.hidden(m, m.create(new long[] {3, 4, 5, 0, 0, 7, 8, 9, 10, 11}, new Shape(2, 5)),
                    m.create(new long[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, 5)), null));
            assertThat(maxAbsDiff(padded.get("0:1, 0:3, :"), alone)).isLessThan(1e-6);
            assertThatThrownBy(() -> model.hidden(m, m.create(new long[] {0, 3, 4}, new Shape(1, 3)),
                    m.create(new long[] {0, 1, 1}, new Shape(1, 3)), null))
                    .hasMessageContaining("padding on the right");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void saveAndLoadGiveIdenticalLogitsAndGenerations(String cell) throws Exception {
        RecurrentSpec spec = new RecurrentSpec(RecurrentSpec.Cell.valueOf(cell.toUpperCase()), 10, 12, 2, 16, true, false, 1e-5, true, false);
        Path saved = tmp.resolve(cell);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.create(new long[] {1, 2, 3, 4, 5, 6, 7, 2, 9, 8, 7, 6}, new Shape(2, 6));
            float[] before;
            Generation generated;
            try (RecurrentModel model = RecurrentModel.create(spec, 7, 0.5, HfTokenizer.load(TOKENIZER), CPU32, TOKENIZER)) {
                assertThat(model.parameterCount()).isEqualTo(10 * 12 + 16 * 12 + 2L * spec.cell().gates * (12 * 12 * 2 + 2 * 12));
                before = model.forward(m, ids).toFloatArray();
                generated = model.generate("the eiffel", GenerationConfig.greedy(5), null);
                model.save(saved);
            }
            assertThat(saved.resolve("tokenizer.json")).exists();
            try (RecurrentModel again = RecurrentModel.load(saved, CPU32)) {
                assertThat(again.spec()).isEqualTo(spec);
                assertThat(again.forward(m, ids).toFloatArray()).containsExactly(before);
                assertThat(again.generate("the eiffel", GenerationConfig.greedy(5), null).tokenIds()).containsExactly(generated.tokenIds());
                assertThat(again.nextTokens("the eiffel", 3)).hasSize(3);

                // greedy generation carries the recurrent state; it must pick the argmax of a full rerun at every step
                int[] prompt = again.tokenizer() instanceof HfTokenizer hf ? hf.encode("the eiffel", true).ids() : null;
                int[] all = new int[prompt.length + generated.tokenIds().length];
                System.arraycopy(prompt, 0, all, 0, prompt.length);
                System.arraycopy(generated.tokenIds(), 0, all, prompt.length, generated.tokenIds().length);
                long[] asLong = java.util.Arrays.stream(all).asLongStream().toArray();
                NDArray logits = again.forward(m, m.create(asLong, new Shape(1, all.length))).get(0);
                long[] argmax = logits.argMax(1).toLongArray();
                for (int i = 0; i < generated.tokenIds().length; i++)
                    assertThat((int) argmax[prompt.length - 1 + i]).as("step " + i).isEqualTo(generated.tokenIds()[i]);
            }
        }
    }

    @Test
    void passesLeaveNothingBehind() throws Exception {
        RecurrentSpec spec = new RecurrentSpec(RecurrentSpec.Cell.LSTM, 10, 8, 2, 16, true, true, 1e-5, false, true);
        try (RecurrentModel model = RecurrentModel.create(spec, 5, 0.1, HfTokenizer.load(TOKENIZER), CPU32, TOKENIZER)) {
            int held = model.managedArrays();
            for (int i = 0; i < 3; i++) {
                try (NDManager scope = NDManager.newBaseManager()) {
                    model.logits(scope, model.hidden(scope, scope.create(new long[] {1, 2, 3, 4}, new Shape(2, 2)),
                            scope.create(new long[] {1, 1, 1, 0}, new Shape(2, 2)), null));
                }
                model.generate("the eiffel", GenerationConfig.greedy(3), null);
                model.nextTokens("the", 2);
            }
            assertThat(model.managedArrays()).isEqualTo(held);
        }
    }

    @Test
    void oneTrainerStepMovesEveryParameter() throws Exception {
        RecurrentSpec spec = new RecurrentSpec(RecurrentSpec.Cell.LSTM, 10, 8, 2, 16, true, true, 1e-5, false, true);
        try (NDManager m = NDManager.newBaseManager();
             RecurrentModel model = RecurrentModel.create(spec, 3, 0.1, null, CPU32, null)) {
            Map<String, float[]> before = new LinkedHashMap<>();
            model.parameters().forEach((k, v) -> before.put(k, v.toFloatArray()));
            TrainingOptions options = new TrainingOptions(1, 1, 0, LearningRateSchedule.constant(0.1), 0, 0);
            try (Trainer<TokenBatch> trainer = new Trainer<>(model, new LanguageModelObjective(model), new Sgd(m, 0, 0), options, 1)) {
                double loss = trainer.step(List.of(new TokenBatch(List.of(new int[] {1, 2, 3, 4, 5}, new int[] {6, 7, 8})))).loss();
                assertThat(loss).isFinite().isGreaterThan(0);
            }
            // plain SGD without decay: a weight changes exactly when its gradient is not zero
            model.parameters().forEach((k, v) -> assertThat(v.toFloatArray()).as(k + " after one step").isNotEqualTo(before.get(k)));
        }
    }

    @Test
    void missingMisShapedOrTruncatedWeightsAreNamed() throws Exception {
        Path missing = copyGolden("missing");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = GoldenFolder.read(missing.resolve("model.safetensors"), m);
            w.remove("rnn.weight_hh_l1");
            SafetensorsWriter.write(missing.resolve("model.safetensors"), w, Map.of());
            assertThatThrownBy(() -> RecurrentModel.load(missing, CPU32)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("no tensor 'rnn.weight_hh_l1' (64, 16)");

            Path shaped = copyGolden("shaped");
            Map<String, NDArray> w2 = new LinkedHashMap<>(GoldenFolder.read(shaped.resolve("model.safetensors"), m));
            w2.put("rnn.bias_ih_l0", m.zeros(new Shape(48)));
            SafetensorsWriter.write(shaped.resolve("model.safetensors"), w2, Map.of());
            assertThatThrownBy(() -> RecurrentModel.load(shaped, CPU32)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("tensor 'rnn.bias_ih_l0' has shape (48) but config.json").hasMessageContaining("needs (64)");
        }
        Path truncated = copyGolden("truncated");
        Path file = truncated.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> RecurrentModel.load(truncated, CPU32)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.safetensors");

        Path config = copyGolden("config");
        Files.writeString(config.resolve("config.json"), Files.readString(config.resolve("config.json")).replace("\"lstm\"", "\"rnn\""));
        assertThatThrownBy(() -> RecurrentModel.load(config, CPU32)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json: cell 'rnn' is not lstm or gru");
    }

    private Path copyGolden(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of("config.json", "model.safetensors")) Files.copy(GOLDEN.resolve("lstm").resolve(f), dir.resolve(f));
        return dir;
    }

    private static List<int[]> rows(NDArray ids) {
        long[] flat = ids.toLongArray();
        int b = (int) ids.getShape().get(0), t = (int) ids.getShape().get(1);
        List<int[]> rows = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            int[] row = new int[t];
            for (int i = 0; i < t; i++) row[i] = (int) flat[r * t + i];
            rows.add(row);
        }
        return rows;
    }

    /** Within 1e-4 of the reference, relative to its largest magnitude. */
    private static void assertClose(NDArray actual, NDArray expected, String what) {
        assertThat(actual).as(what + " exists").isNotNull();
        assertThat(actual.getShape()).as(what + " shape").isEqualTo(expected.getShape());
        double scale = Math.max(1.0, expected.abs().max().getFloat());
        assertThat(maxAbsDiff(actual, expected) / scale).as(what).isLessThan(1e-4);
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        return a.toType(DataType.FLOAT32, false).sub(b.toType(DataType.FLOAT32, false)).abs().max().getFloat();
    }
}
