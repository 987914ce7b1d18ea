package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import org.layerwise.engine.data.FactModelRecipe;
import org.layerwise.engine.data.FactWorld;
import org.layerwise.engine.data.SampleBuild;
import org.layerwise.engine.tokenizer.Gpt2Bpe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code layerwise build-samples}: regenerates sample-data/ from the generator code with fixed seeds — the
 * fact world, its GPT-2-derived tokenizer and the sample fact models (trained on the CPU by the engine's trainer).
 */
@Command(name = "build-samples", mixinStandardHelpOptions = true,
        description = "Rebuild the fact world, its tokenizer and the sample fact models in sample-data/ (fixed seeds).")
public final class BuildSamplesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--sample-data", paramLabel = "DIR", defaultValue = "sample-data",
            description = "The sample-data folder (with facts/ and tokenizers/gpt2/) (default: ${DEFAULT-VALUE}).")
    Path sampleData;

    @Option(names = "--models", paramLabel = "FAMILY", split = ",", defaultValue = "gpt2,gptj,llama",
            description = "Which fact models to train: gpt2, gptj, llama (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--world-only", description = "Only regenerate the world and the tokenizer; train nothing.")
    boolean worldOnly;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "0",
            description = "Override the recipes' training steps (for a quick trial; the shipped models use the recipes').")
    int steps;

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, () -> {
            if (!Files.isDirectory(sampleData.resolve("facts"))) {
                throw new IllegalArgumentException("no facts/ tables in " + sampleData.toAbsolutePath()
                        + "; run from the repository root or pass --sample-data");
            }
            for (String m : models) {
                if (!List.of("gpt2", "gptj", "llama").contains(m)) {
                    throw new IllegalArgumentException("unknown model family '" + m + "'; choose from gpt2, gptj, llama");
                }
            }
            PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, "UTF-8");
            SampleBuild build = new SampleBuild(sampleData, log);
            FactWorld world = build.buildWorld();
            Gpt2Bpe vocabulary = build.buildFactsTokenizer(world);
            if (worldOnly) {
                return 0;
            }
            for (FactModelRecipe recipe : FactModelRecipe.standard(vocabulary.size())) {
                if (models.contains(recipe.family())) {
                    build.trainModel(steps > 0 ? recipe.withSteps(steps) : recipe, world);
                }
            }
            return 0;
        });
    }

    /** Lets the engine's PrintStream log go to picocli's writer. */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final java.io.PrintWriter out;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterOutputStream(java.io.PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            out.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            line.reset();
        }
    }
}
