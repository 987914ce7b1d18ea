package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.SqliteRunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code layerwise generate}: a continuation streamed to stdout, recorded as a run. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a continuation of a prompt (streamed), with a key/value cache.")
final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions model;
    @Mixin CliSupport cli;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT") String prompt;
    @Option(names = "--max-new-tokens", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.") int maxNewTokens;
    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default: ${DEFAULT-VALUE}).") double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "0 = off (default).") int topK;
    @Option(names = "--top-p", defaultValue = "1", description = "1 = off (default).") double topP;
    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable).") List<String> stop = List.of();
    @Option(names = "--no-cache", description = "Recompute the whole sequence every step (slow; for checking the cache).") boolean noCache;

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, () -> {
            GenerationConfig config = new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, stop, !noCache);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("prompt", prompt);
            params.put("maxNewTokens", maxNewTokens);
            params.put("temperature", temperature);
            params.put("topK", topK);
            params.put("topP", topP);
            params.put("seed", seed);
            params.put("stop", stop);
            params.put("cache", !noCache);
            PrintWriter out = spec.commandLine().getOut();
            try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1);
                 TransformerModel m = model.load()) {
                JobSpec job = JobSpec.recorded("engine", "generate", "Generate: " + abbreviate(prompt), params,
                        m.directory().toString());
                out.print(prompt);
                out.flush();
                Generation g = CliSupport.runInForeground(pool, job, ctx -> {
                    Generation result = m.generate(prompt, config, piece -> {
                        ctx.checkCancelled();
                        out.print(piece);
                        out.flush();
                    });
                    ctx.metric("new_tokens", 0, result.tokenIds().length);
                    ctx.metric("tokens_per_s", 0, result.tokenIds().length / Math.max(1e-9, result.nanos() / 1e9));
                    return result;
                }, spec.commandLine().getErr());
                out.println();
                spec.commandLine().getErr().printf("%d tokens, %.1f tokens/s, stopped: %s%n", g.tokenIds().length,
                        g.tokenIds().length / Math.max(1e-9, g.nanos() / 1e9), g.finishReason());
            }
            return 0;
        });
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }
}
