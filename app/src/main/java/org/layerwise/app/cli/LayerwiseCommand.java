package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import org.layerwise.app.shell.GuiLauncher;
import org.layerwise.app.shell.ShellLaunch;
import org.layerwise.sdk.plugin.PluginLoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./layerwise}: with no command it starts the GUI. Each subcommand lives in its own class in this
 * package; workspaces add theirs through {@link org.layerwise.sdk.WorkbenchPlugin#cliCommands()}.
 * {@code --help} and {@code --version} are inherited by every subcommand; each command that reads runs
 * takes its own {@code --data-dir}.
 */
@Command(name = "layerwise", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = ScopeType.INHERIT, sortOptions = false,
        description = "A research workbench for how language models store, use and change knowledge.%n"
                + "With no command, starts the GUI.",
        subcommands = {
                GuiCommand.class,
                // add subcommand classes here, one per line
                RunsCommand.class,
                ForwardCommand.class,
                GenerateCommand.class,
                ModelsCommand.class,
                FactsRecallCommand.class,
                BuildSamplesCommand.class,
                ServeCommand.class,
        })
public final class LayerwiseCommand implements Callable<Integer> {
    @Mixin
    CliSupport cli;

    @Mixin
    GuiOptions gui;

    @Spec
    CommandSpec spec;

    private GuiLauncher launcher = GuiLauncher.javafx();
    private List<PluginLoadResult> plugins = List.of();

    /** The root command of the command line that {@code spec} belongs to (for subcommands). */
    public static LayerwiseCommand root(CommandSpec spec) {
        return (LayerwiseCommand) spec.root().userObject();
    }

    /** Replaces how the GUI is started (tests start none). */
    public LayerwiseCommand withLauncher(GuiLauncher launcher) {
        this.launcher = launcher;
        return this;
    }

    /** The plugins discovered at start-up (their commands are subcommands; the GUI shows them). */
    public LayerwiseCommand withPlugins(List<PluginLoadResult> plugins) {
        this.plugins = List.copyOf(plugins);
        return this;
    }

    public List<PluginLoadResult> plugins() {
        return plugins;
    }

    int startGui(CliSupport options, GuiOptions gui) {
        return launcher.launch(new ShellLaunch(options.dataDirectory(), gui.model(), gui.loadOptions(), plugins));
    }

    @Override
    public Integer call() {
        return startGui(cli, gui);
    }
}
