package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.layerwise.engine.checkpoint.Checkpoint;
import org.layerwise.engine.model.MemoryEstimate;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code layerwise models info DIR}: what a checkpoint is and what loading it would take, without loading it. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Inspect model folders.",
        subcommands = ModelsCommand.Info.class)
final class ModelsCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Architecture, parameters, dtype and the memory a load needs (the folder is validated, not loaded).")
    static final class Info implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "A Hugging Face model folder.") Path dir;
        @picocli.CommandLine.Mixin DeviceOptions device;

        @Override
        public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                MemoryEstimate estimate = TransformerModel.estimate(dir, device.loadOptions());
                PrintWriter out = spec.commandLine().getOut();
                try (Checkpoint ck = Checkpoint.open(dir)) {
                    JsonNode config = ck.config();
                    TransformerSpec s = TransformerSpec.fromHuggingFaceConfig(config);
                    long params = ck.tensors().values().stream().mapToLong(t -> t.numel()).sum();
                    String stored = ck.tensors().values().stream().map(t -> t.dtype().name()).distinct()
                            .reduce((a, b) -> a + "+" + b).orElse("?");
                    out.printf("model         %s%n", dir.toAbsolutePath().normalize());
                    out.printf("architecture  %s%n", s.describe());
                    out.printf("details       vocab %d · head dim %d · %s norm · %s residual · %s MLP (%s, %d) · rotary %s%s · "
                                    + "max positions %d · %s embeddings%n",
                            s.vocabSize(), s.headDim(), s.norm().name().toLowerCase(), s.residual().name().toLowerCase(),
                            s.mlp().name().toLowerCase(), s.activation().name().toLowerCase(), s.intermediateSize(),
                            s.rotary().name().toLowerCase(), s.rotary() == TransformerSpec.RotaryStyle.NONE ? ""
                                    : " (dim " + s.rotaryDim() + ", theta " + s.ropeTheta() + ")",
                            s.maxPositions(), s.tiedEmbeddings() ? "tied" : "separate");
                    out.printf("parameters    %,d (%.1fM)%n", params, params / 1e6);
                    out.printf("stored dtype  %s, %s in %d file(s)%n", stored, MemoryEstimate.gib(ck.totalBytes()),
                            ck.weightFiles().size());
                    out.printf("tokenizer     %s%n", ck.hasTokenizer() ? "tokenizer.json" : "MISSING: the model will not load; add its tokenizer.json");
                    out.printf("load on %-5s needs %s, %s available: %s%n", estimate.device(), MemoryEstimate.gib(estimate.neededBytes()),
                            estimate.availableBytes() < 0 ? "unknown" : MemoryEstimate.gib(estimate.availableBytes()),
                            estimate.fits() ? "fits" : "does NOT fit");
                }
                return 0;
            });
        }
    }
}
