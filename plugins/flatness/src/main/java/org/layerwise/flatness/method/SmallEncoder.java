package org.layerwise.flatness.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.train.AdamW;
import org.layerwise.engine.train.Evaluation;
import org.layerwise.engine.train.LearningRateSchedule;
import org.layerwise.engine.train.MaskedLanguageModelObjective;
import org.layerwise.engine.train.TokenBatch;
import org.layerwise.engine.train.TokenDataset;
import org.layerwise.engine.train.Trainer;
import org.layerwise.engine.train.TrainingOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds sample-data/models/encoder-small: a tiny bidirectional (BERT-style: learned positions, LayerNorm, GELU)
 * encoder pretrained by masked language modelling on the fact-world corpus, saved in float16. The mask token is
 * one id past the facts tokenizer's vocabulary. Rebuild (a few minutes on one thread):
 * <pre>java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp … org.layerwise.flatness.method.SmallEncoder \
 *     sample-data/world/train.txt sample-data/tokenizers/facts sample-data/models/encoder-small [steps]</pre>
 */
public final class SmallEncoder {
    public static final long SEED = 11;

    private SmallEncoder() {}

    public static TransformerSpec spec(int vocab) {
        return TransformerSpec.builder().modelType("layerwise").vocabSize(vocab + 1).dModel(96).layers(2).heads(4).kvHeads(4).headDim(24)
                .maxPositions(64).learnedPositions(true).rotary(TransformerSpec.RotaryStyle.NONE, 0, 10000)
                .norm(TransformerSpec.NormKind.LAYER, 1e-5).mlp(TransformerSpec.MlpKind.DENSE, TransformerSpec.Activation.GELU, 384, true)
                .qkvBias(true).outBias(true).tiedEmbeddings(true).finalNorm(true).mask(TransformerSpec.MaskKind.BIDIRECTIONAL).build();
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]), tokenizerDir = Path.of(args[1]), out = Path.of(args[2]);
        long steps = args.length > 3 ? Long.parseLong(args[3]) : 1500;
        HfTokenizer tokenizer = HfTokenizer.load(tokenizerDir);
        List<int[]> sequences = new ArrayList<>();
        for (String line : Files.readAllLines(corpus)) if (!line.isBlank()) sequences.add(tokenizer.encode(line.trim(), false).ids());
        int vocab = tokenizer.vocabularySize();
        TransformerSpec spec = spec(vocab);
        LoadOptions fp32 = new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32);
        long start = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = RandomWeights.create(spec, m, SEED, 0.02f);
            try (TransformerModel model = TransformerModel.create(spec, weights, tokenizer, fp32, null, tokenizerDir)) {
                MaskedLanguageModelObjective mlm = new MaskedLanguageModelObjective(model, vocab, 0.15, SEED);
                TokenDataset data = TokenDataset.ofSequences(sequences, 48, 32, SEED);
                TrainingOptions opts = new TrainingOptions(steps, 1, 1.0,
                        new LearningRateSchedule(2e-3, steps / 20, steps, LearningRateSchedule.Decay.COSINE, 1e-4), 0, 0);
                double before, after;
                try (Trainer<TokenBatch> t = new Trainer<>(model, mlm, AdamW.standard(m), opts, SEED)) {
                    List<TokenBatch> held = data.evaluationBatches();
                    before = t.evaluate(held).loss();
                    t.run(data, List.of(), null, null);
                    Evaluation e = t.evaluate(held);
                    after = e.loss();
                }
                LoadOptions fp16 = new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT16);
                try (TransformerModel half = TransformerModel.create(spec, model.parameters(), tokenizer, fp16, null, tokenizerDir)) {
                    half.save(out);
                }
                System.out.printf(Locale.ROOT, "encoder-small: %d parameters, %d steps in %.0f s, MLM loss %.3f -> %.3f (saved to %s)%n",
                        model.parameterCount(), steps, (System.nanoTime() - start) / 1e9, before, after, out);
            }
        }
    }
}
