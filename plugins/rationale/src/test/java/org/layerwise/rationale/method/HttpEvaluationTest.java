package org.layerwise.rationale.method;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.data.nlu.NluFiles;
import org.layerwise.engine.data.nlu.NluRecord;
import org.layerwise.engine.llm.ChatServer;
import org.layerwise.engine.llm.HttpBackend;
import org.layerwise.engine.llm.LocalBackend;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.HfTokenizer;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same model answers the same through the local backend and over HTTP (./layerwise serve's server). */
class HttpEvaluationTest {
    @Test
    void generationModesGiveTheSameAnswersLocallyAndOverHttp() throws Exception {
        Path nlu = NluCorpusTest.SAMPLE_DATA.resolve("nlu");
        List<NluRecord> items = NluFiles.read(nlu.resolve("sum_compare/test.jsonl")).subList(0, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            HfTokenizer tokenizer = HfTokenizer.load(nlu);
            var spec = NluModelRecipe.spec(tokenizer.vocabularySize(), 16, 1, 2);
            var config = new JsonMapper().createObjectNode().put("eos_token_id", tokenizer.encode("[SEP]").ids()[0]);
            try (TransformerModel model = TransformerModel.create(spec, RandomWeights.create(spec, m, 3, 0.5f), tokenizer,
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), config, nlu);
                 ChatServer server = ChatServer.start(model, "nlu-test", "127.0.0.1", 0);
                 HttpBackend http = new HttpBackend(HttpBackend.Settings.of(server.baseUrl(), "nlu-test", null))) {
                var modes = EnumSet.of(EvalMode.DIRECT_GEN, EvalMode.COT);
                List<ItemResult> local = new NluEvaluation(new LocalBackend(model), modes).run(items, null);
                List<ItemResult> remote = new NluEvaluation(http, modes).run(items, null);
                for (int i = 0; i < items.size(); i++)
                    for (EvalMode mode : modes)
                        assertEquals(local.get(i).answer(mode), remote.get(i).answer(mode), items.get(i).id() + " " + mode);
                assertEquals(6, http.usage().calls());
                // a chat server scores no log-likelihoods: the evaluation says so instead of failing per item
                var e = assertThrows(IllegalArgumentException.class, () -> new NluEvaluation(http, EnumSet.of(EvalMode.DIRECT_LL)));
                assertTrue(e.getMessage().contains("direct-gen"), e.getMessage());
            }
        }
    }
}
