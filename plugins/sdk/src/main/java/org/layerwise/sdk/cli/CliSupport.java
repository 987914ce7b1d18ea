package org.layerwise.sdk.cli;

import org.layerwise.engine.DataDirectory;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.runs.RunStoreException;
import org.layerwise.engine.runs.SqliteRunStore;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every command that touches runs shares: the {@code --data-dir} option (a picocli mixin: add
 * {@code @Mixin CliSupport cli;} to a command), opening the run store the way every entry point must (marking
 * runs orphaned by a killed process as interrupted), running a job in the foreground with a progress bar,
 * and turning expected errors into one clear line on stderr and exit code 1.
 */
public final class CliSupport {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where runs and artifacts live. Default: $LAYERWISE_HOME, else -Dlayerwise.home, "
                    + "else $XDG_DATA_HOME/layerwise or ~/.local/share/layerwise.")
    Path dataDir;

    /** The data directory chosen by --data-dir or the defaults, created if missing. */
    public Path dataDirectory() {
        return DataDirectory.resolve(dataDir);
    }

    /**
     * Opens the run store in the data directory and marks runs left RUNNING by a process that died (kill -9,
     * crash, power cut) as INTERRUPTED, which is the contract of every entry point.
     */
    public SqliteRunStore openRunStore() {
        SqliteRunStore store = SqliteRunStore.open(dataDirectory());
        try {
            store.markOrphansInterrupted();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Runs {@code body}; an error the user can act on (a missing run, an unreadable store, a bad argument)
     * becomes {@code <command>: <message>} on stderr and exit code 1 rather than a stack trace.
     */
    public static int reportingErrors(CommandSpec spec, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (IllegalArgumentException | IllegalStateException | RunStoreException | UncheckedIOException
                 | org.layerwise.engine.checkpoint.CheckpointException
                 | org.layerwise.engine.model.InsufficientMemoryException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * Runs one job and waits for it, drawing a progress bar on {@code err}. Ctrl-C (SIGINT/SIGTERM) cancels the
     * job and waits up to 10 s for it to stop, so its run is recorded CANCELLED and its outputs are cleaned up
     * instead of left half-written. Returns the job's value; throws its failure, or
     * {@link JobCancelledException} when it was cancelled.
     */
    public static <T> T runInForeground(JobRunner runner, JobSpec spec, Job<T> job, PrintWriter err) throws Exception {
        JobHandle<T> handle = runner.submit(spec, job);
        handle.addListener(ProgressBar.forTerminal(err));
        Thread cancelOnExit = new Thread(() -> {
            if (handle.state().isDone()) return;
            handle.cancel();
            try {
                handle.result().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException ignored) {
                // exiting anyway; the run store records what the job got to
            }
        }, "layerwise-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(cancelOnExit);
        try {
            return handle.result().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) throw ex;
            if (cause instanceof Error error) throw error;
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnExit);
            } catch (IllegalStateException exiting) {
                // the hook is already running
            }
        }
    }
}
