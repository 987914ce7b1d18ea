package org.layerwise.app.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** One {@code layerwise …} invocation in-process, with its exit code, stdout and stderr (for CLI tests). */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new LayerwiseCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    List<String> lines() {
        return Arrays.asList(out.split("\n"));
    }
}
