package org.layerwise.probeedit.method.probe;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.Encoding;
import org.layerwise.engine.tokenizer.HfTokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes the golden model (a tiny random LLaMA-style model with the sample fact tokenizer, untied LM head, fp16
 * safetensors) and the probe inputs (token ids, positions, answer tokens) next to make_golden.py, which
 * re-implements the probe in PyTorch. Run from the repository root:
 * {@code java -cp ... org.layerwise.probeedit.method.probe.GoldenModelMain plugins/probe-edit/src/test/resources/probe-golden}
 * then {@code /usr/bin/python3 plugins/probe-edit/src/test/resources/probe-golden/make_golden.py}.
 */
public final class GoldenModelMain {
    static final List<ProbeRequest> CASES = List.of(
            new ProbeRequest("The capital of {} is", "France", "Paris", "Berlin"),
            new ProbeRequest("{} was born in", "Ada Lovelace", "London", "Rome"),
            new ProbeRequest("The official language of Japan is", "Japan", "Japanese", "French"));

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path tokenizerDir = Path.of("sample-data/tokenizers/facts");
        HfTokenizer tokenizer = HfTokenizer.load(tokenizerDir);
        TransformerSpec spec = TransformerSpec.builder().modelType("llama").vocabSize(tokenizer.vocabularySize()).dModel(32)
                .layers(3).heads(4).kvHeads(2).headDim(8).maxPositions(64)
                .rotary(TransformerSpec.RotaryStyle.HALF, 8, 10000).norm(TransformerSpec.NormKind.RMS, 1e-5)
                .mlp(TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.SILU, 48, false)
                .tiedEmbeddings(false).build();
        try (NDManager m = NDManager.newBaseManager()) {
            TransformerModel model = TransformerModel.create(spec, RandomWeights.create(spec, m, 7, 0.15f), tokenizer,
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT16), null, tokenizerDir);
            model.save(out.resolve("model"));
            model.close();
        }
        try (TransformerModel model = SampleModels.load(out.resolve("model"))) {
            ObjectMapper json = new ObjectMapper();
            ArrayNode cases = json.createArrayNode();
            for (ProbeRequest r : CASES) {
                Encoding e = model.encode(r.text());
                ObjectNode c = cases.addObject();
                c.put("prompt", r.prompt()).put("subject", r.subject()).put("original", r.original()).put("target", r.target());
                ArrayNode ids = c.putArray("ids");
                for (int id : e.ids()) ids.add(id);
                c.put("subject_last", ContrastProbe.subjectLast(e, r));
                c.put("original_id", ContrastProbe.answerToken(model, r.text(), r.original()));
                c.put("target_id", ContrastProbe.answerToken(model, r.text(), r.target()));
            }
            json.writerWithDefaultPrettyPrinter().writeValue(out.resolve("inputs.json").toFile(), cases);
        }
    }
}
