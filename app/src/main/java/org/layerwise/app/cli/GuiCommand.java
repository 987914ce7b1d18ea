package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code layerwise gui}: starts the main window (also what {@code layerwise} alone does). */
@Command(name = "gui", description = "Start the workbench window (the default with no command).")
public final class GuiCommand implements Callable<Integer> {
    @Mixin
    CliSupport cli;

    @Mixin
    GuiOptions gui;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return LayerwiseCommand.root(spec).startGui(cli, gui);
    }
}
