package org.layerwise.probeedit.cli;

import picocli.CommandLine;

/** Runs {@code layerwise probe} from the test classpath (for the docs figures): same arguments as the CLI. */
public final class ProbeCommandMain {
    public static void main(String[] args) {
        System.exit(new CommandLine(new ProbeCommand()).execute(args));
    }
}
