package org.layerwise.engine.data.nlu;

import org.layerwise.engine.tokenizer.WordLevelVocabulary;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates {@code sample-data/nlu/} (the corpus) and {@code sample-data/tokenizers/nlu/tokenizer.json} from the
 * fact tables with seed {@link NluCorpus#SEED}. Run with
 * {@code java -cp engine/target/classes:$(cat engine/target/classpath.txt) org.layerwise.engine.data.nlu.NluCorpusBuild sample-data}
 * or {@code ./layerwise rationale build-samples --corpus-only}.
 */
public final class NluCorpusBuild {
    private NluCorpusBuild() {}

    public static NluCorpus build(Path sampleData, PrintStream log) throws IOException {
        NluCorpus corpus = NluCorpus.generate(NluTables.load(sampleData.resolve("facts")), NluCorpus.SEED);
        Path dir = sampleData.resolve("nlu");
        Files.createDirectories(dir);
        corpus.write(dir);
        WordLevelVocabulary vocabulary = NluVocabulary.build(corpus);
        NluVocabulary.write(vocabulary, tokenizerFile(sampleData));
        for (var t : corpus.tasks().entrySet()) {
            StringBuilder sb = new StringBuilder();
            t.getValue().forEach((s, r) -> sb.append(' ').append(s).append('=').append(r.size()));
            log.printf("nlu %s:%s%s%n", t.getKey(), sb, NluTasks.HELD_OUT.contains(t.getKey()) ? " (held out)" : "");
        }
        log.printf("nlu vocabulary: %d words → %s%n", vocabulary.size(), tokenizerFile(sampleData));
        return corpus;
    }

    public static Path tokenizerFile(Path sampleData) {
        return sampleData.resolve("nlu/tokenizer.json");
    }

    public static void main(String[] args) throws IOException {
        build(Path.of(args.length > 0 ? args[0] : "sample-data"), System.out);
    }
}
