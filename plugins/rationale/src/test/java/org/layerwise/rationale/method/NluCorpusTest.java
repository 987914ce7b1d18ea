package org.layerwise.rationale.method;

import org.junit.jupiter.api.Test;
import org.layerwise.engine.data.nlu.NluCorpus;
import org.layerwise.engine.data.nlu.NluFiles;
import org.layerwise.engine.data.nlu.NluPrompt;
import org.layerwise.engine.data.nlu.NluRecord;
import org.layerwise.engine.data.nlu.NluTables;
import org.layerwise.engine.data.nlu.NluTasks;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NluCorpusTest {
    static final Path SAMPLE_DATA = Path.of("../../sample-data");

    @Test
    void generatedRationalesEndInTheLabelAndTestNeverLeaksIntoTrain() throws Exception {
        NluCorpus corpus = NluCorpus.generate(NluTables.load(SAMPLE_DATA.resolve("facts")), NluCorpus.SEED);
        for (String task : corpus.tasks().keySet()) {
            Set<String> test = new HashSet<>();
            for (NluRecord r : corpus.split(task, "test")) {
                test.add(NluPrompt.body(r));
                assertEquals(r.label(), NluPrompt.extract(r.rationale()).orElseThrow(), r.id());
                assertTrue(r.options().contains(r.label()), r.id() + " options " + r.options());
            }
            for (NluRecord r : corpus.split(task, "train")) assertFalse(test.contains(NluPrompt.body(r)), r.id());
        }
        assertTrue(corpus.split("sum_less", "train").isEmpty(), "held-out tasks have no training split");
        // sum comparison rationale derived by hand: "is 4 plus 2 more than 6 ?" → 6 is equal to 6 → no
        NluRecord sum = corpus.split("sum_compare", "test").get(0);
        assertEquals("is 4 plus 2 more than 6 ?", sum.textA());
        assertEquals("4 plus 2 is 6 . 6 is equal to 6 . therefore , the answer is : no", sum.rationale());
    }

    @Test
    void shippedCorpusIsTheGeneratorsOutput(@TempDir Path tmp) throws Exception {
        NluCorpus corpus = NluCorpus.generate(NluTables.load(SAMPLE_DATA.resolve("facts")), NluCorpus.SEED);
        corpus.write(tmp);
        for (String task : NluTasks.HELD_OUT)
            assertEquals(Files.readString(SAMPLE_DATA.resolve("nlu").resolve(task).resolve("test.jsonl")),
                    Files.readString(tmp.resolve(task).resolve("test.jsonl")), task + ": rebuild with ./layerwise rationale build-samples");
        List<NluRecord> back = NluFiles.read(tmp.resolve("nli/test.jsonl"));
        assertEquals(corpus.split("nli", "test"), back);
    }

    @Test
    void readsPlainJsonlWithOptionsAndRationales(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("mytask.jsonl");
        Files.writeString(f, "{\"input\":\"is 2 plus 2 more than 3 ?\",\"options\":[\"yes\",\"no\"],\"answer\":\"yes\","
                + "\"rationale\":\"2 plus 2 is 4 .\"}\n\n{\"question\":\"q\",\"label\":\"no\",\"options\":\"yes | no\"}\n");
        List<NluRecord> rs = NluFiles.read(f);
        assertEquals(2, rs.size());
        assertEquals("mytask", rs.get(0).task());
        assertEquals(List.of("yes", "no"), rs.get(0).options());
        assertEquals("2 plus 2 is 4 .", rs.get(0).rationale());
        assertEquals("mytask-3", rs.get(1).id());
    }
}
