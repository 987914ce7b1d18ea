package org.layerwise.app.cli;

import picocli.CommandLine.IVersionProvider;

/** Version of Layerwise, Java and JavaFX for --version (cheap: does not start the native engine). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {
                "Layerwise " + (v == null ? "0.1.0-SNAPSHOT" : v),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                "DJL " + djlVersion(),
        };
    }

    private static String djlVersion() {
        try {
            return ai.djl.engine.Engine.getDjlVersion();
        } catch (Throwable t) {
            return "unknown";
        }
    }
}
