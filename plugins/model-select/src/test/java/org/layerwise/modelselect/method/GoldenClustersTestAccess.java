package org.layerwise.modelselect.method;

import java.nio.file.Path;

/** Where the paper's matrices are, for tests in other packages. */
public final class GoldenClustersTestAccess {
    private GoldenClustersTestAccess() {}

    public static Path paper() { return GoldenClustersTest.PAPER; }
}
