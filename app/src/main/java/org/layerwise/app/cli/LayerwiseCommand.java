package org.layerwise.app.cli;

import picocli.CommandLine.Command;

/**
 * {@code ./layerwise}: with no command it starts the GUI. Each subcommand lives in its own class in this
 * package; workspaces add theirs through {@link org.layerwise.sdk.WorkbenchPlugin#cliCommands()}.
 */
@Command(name = "layerwise", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A research workbench for how language models store, use and change knowledge.",
        subcommands = {
                // add subcommand classes here, one per line
                RunsCommand.class,
                ForwardCommand.class,
                GenerateCommand.class,
                ModelsCommand.class,
        })
public final class LayerwiseCommand {
}
