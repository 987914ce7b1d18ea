package org.layerwise.flatness.cli;

import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.flatness.method.ContinualConfig;
import org.layerwise.flatness.method.MethodComparison;
import org.layerwise.flatness.method.TaskSequence;
import org.layerwise.sdk.cli.CliSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code layerwise continual}: trains one or more continual-learning methods over a task sequence for several
 * seeds as one recorded run, and prints the comparison table (mean ± std over seeds).
 */
@Command(name = "continual", mixinStandardHelpOptions = true,
        description = {"Continual learning over a task sequence: C&F, EWC, replay, ASAM, sequential fine-tuning, multi-task bound.",
                "Settings: method preset < the sequence's training block < --set."})
public final class ContinualCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--sequence", required = true, paramLabel = "FILE.json", description = "Task sequence file (see docs/guide/flatness.md).")
    Path sequence;

    @Option(names = "--method", required = true, paramLabel = "M[,M...]", split = ",",
            description = "One or more of cf, ewc, seq, replay, asam, multitask (or 'all').")
    List<String> methods;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Seeds per method (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "0", paramLabel = "S", description = "First seed (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one setting for every method (repeatable), e.g. --set epochs=2.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--table", paramLabel = "FILE.md", description = "Also write the markdown table to this file.")
    Path table;

    @Option(names = "--list-settings", description = "Print every setting with its default and exit.")
    boolean listSettings;

    @Mixin
    CliSupport cli;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (listSettings) {
            for (ContinualConfig.Setting s : ContinualConfig.SETTINGS)
                out.printf(Locale.ROOT, "%-20s %-10s %s%n", s.name(), s.defaultValue(), s.description());
            out.flush();
            return 0;
        }
        return CliSupport.reportingErrors(spec, () -> {
            List<String> ms = new ArrayList<>();
            for (String m : methods) {
                String x = m.trim().toLowerCase(Locale.ROOT);
                if (x.equals("all")) ms.addAll(ContinualConfig.METHODS);
                else if (!ContinualConfig.METHODS.contains(x))
                    throw new IllegalArgumentException("unknown method '" + m + "'; choose from " + String.join(", ", ContinualConfig.METHODS) + " or all");
                else if (!ms.contains(x)) ms.add(x);
            }
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be ≥ 1");
            TaskSequence seq;
            try {
                seq = TaskSequence.load(sequence);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            MethodComparison.Request request = new MethodComparison.Request(seq, ms, seeds, firstSeed, overrides);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("sequence", sequence.toString());
            params.put("methods", String.join(",", ms));
            params.put("seeds", seeds);
            params.put("first_seed", firstSeed);
            params.put("overrides", String.join(" ", overrides));
            for (String m : ms) params.put("config/" + m, MethodComparison.configFor(seq, m, overrides).json());
            try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1)) {
                JobSpec jobSpec = JobSpec.recorded("flatness", "continual", "Continual " + String.join(",", ms) + " on " + seq.name(), params, null);
                MethodComparison.Result r = CliSupport.runInForeground(pool, jobSpec, MethodComparison.job(request, null), err);
                out.printf(Locale.ROOT, "%s, %d tasks, %d seed(s)%n%n", seq.name(), seq.tasks().size(), seeds);
                out.print(r.markdown());
                if (table != null) Files.writeString(table, r.markdown());
                out.flush();
                return 0;
            } catch (JobCancelledException e) {
                err.println("continual: cancelled; every finished task's accuracies are in the run store");
                err.flush();
                return 130;
            }
        });
    }
}
