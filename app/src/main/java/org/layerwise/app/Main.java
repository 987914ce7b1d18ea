package org.layerwise.app;

import org.layerwise.app.cli.LayerwiseCommand;
import org.layerwise.sdk.plugin.PluginLoadResult;
import org.layerwise.sdk.plugin.PluginLoader;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;

/**
 * Entry point of {@code ./layerwise}. Not a JavaFX Application on purpose: with JavaFX on the class
 * path (not the module path) only a main class that does not extend Application may start it.
 * Plugins are discovered here (without starting JavaFX) so that their CLI commands join the root
 * command; the same plugin instances then fill the GUI's sidebar.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = run(args);
        // the GUI returns once its window is closed; exit also ends stray non-daemon native threads
        System.exit(code);
    }

    public static int run(String... args) {
        return commandLine(new LayerwiseCommand(), new PluginLoader().load()).execute(args);
    }

    /** The full command line: root, built-in subcommands, and every loaded plugin's commands. */
    public static CommandLine commandLine(LayerwiseCommand root, List<PluginLoadResult> plugins) {
        CommandLine cli = new CommandLine(root.withPlugins(plugins));
        for (PluginLoadResult slot : plugins) {
            if (!slot.isLoaded()) continue;
            List<Object> commands;
            try {
                commands = slot.plugin().cliCommands();
            } catch (RuntimeException | LinkageError e) {
                System.err.println("warning: plugin '" + slot.displayName() + "' gave no commands: " + e.getMessage());
                continue;
            }
            for (Object command : commands) {
                try {
                    cli.addSubcommand(command);
                } catch (CommandLine.InitializationException e) {
                    System.err.println("warning: command from plugin '" + slot.displayName() + "' skipped: "
                            + e.getMessage());
                }
            }
        }
        cli.setExecutionExceptionHandler(Main::reportFailure);
        return cli;
    }

    /** Says what went wrong in one line (and the stack trace with LAYERWISE_DEBUG=1); exit code 1. */
    private static int reportFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        CommandSpec spec = cli.getCommandSpec();
        err.println(cli.getColorScheme().errorText("error: " + describe(e)));
        if (System.getenv("LAYERWISE_DEBUG") != null) e.printStackTrace(err);
        else err.println("(run with LAYERWISE_DEBUG=1 for the stack trace; '" + spec.qualifiedName() + " --help' for usage)");
        err.flush();
        return 1;
    }

    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
            if (b.indexOf(m) >= 0) continue;
            if (b.length() > 0) b.append(": ");
            b.append(m);
        }
        return b.toString();
    }
}
