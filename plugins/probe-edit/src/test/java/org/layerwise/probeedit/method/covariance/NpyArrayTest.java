package org.layerwise.probeedit.method.covariance;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The .npz reader against files numpy wrote (make_npz.py beside them), and the MEMIT import. */
class NpyArrayTest {
    /** E[kkᵀ] of make_npz.py's keys, derived by hand: keys = arange(12).reshape(4,3)/7 − 0.5. */
    static double[] expected() {
        double[][] k = new double[4][3];
        for (int i = 0; i < 12; i++) k[i / 3][i % 3] = i / 7.0 - 0.5;
        double[] m = new double[9];
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) {
            double s = 0;
            for (double[] row : k) s += row[a] * row[b];
            m[a * 3 + b] = s / 4;
        }
        return m;
    }

    @Test
    void readsNumpyNpzStoredAndCompressed() throws Exception {
        for (String name : new String[] {"memit_stats.npz", "memit_stats_compressed.npz"}) {
            try (InputStream in = getClass().getResourceAsStream(name)) {
                Map<String, NpyArray> m = NpyArray.readNpz(in, name);
                assertThat(m).containsKeys("mom2.mom2", "mom2.count");
                assertThat(m.get("mom2.mom2").shape()).containsExactly(3, 3);
                assertThat(m.get("mom2.count").shape()).isEmpty();
                assertThat(m.get("mom2.count").data()).containsExactly(4.0);
                double[] want = expected();
                for (int i = 0; i < 9; i++) assertThat(m.get("mom2.mom2").data()[i]).isCloseTo(want[i], within(1e-6));
            }
        }
    }

    @Test
    void writtenNpyReadsBack() throws Exception {
        NpyArray a = new NpyArray(new long[] {2, 3}, new double[] {1, -2, 3.5, 1e-300, 0, 7});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.write(out);
        NpyArray b = NpyArray.read(new ByteArrayInputStream(out.toByteArray()), "x");
        assertThat(b.shape()).containsExactly(2, 3);
        assertThat(b.data()).containsExactly(a.data());
    }

    @Test
    void importedMemitStatisticsGiveTheSecondMoment(@TempDir Path dir) throws Exception {
        Path npz = dir.resolve("stats.npz");
        try (InputStream in = getClass().getResourceAsStream("memit_stats.npz")) {
            Files.copy(in, npz);
        }
        Path cache = dir.resolve("cov");
        Files.createDirectories(cache);
        CovarianceStatsProbe probe = new CovarianceStatsProbe(cache);
        probe.stats.importNpz(npz, 7);
        assertThat(probe.stats.has(7)).isTrue();
        try (NDManager m = NDManager.newBaseManager()) {
            double[] got = probe.stats.secondMoment(m, 7).toDoubleArray();
            double[] want = expected();
            for (int i = 0; i < 9; i++) assertThat(got[i]).isCloseTo(want[i], within(1e-6));
        }
    }

    /** CovarianceStats without a model: a folder only. */
    static final class CovarianceStatsProbe {
        final CovarianceStats stats;

        CovarianceStatsProbe(Path dir) {
            this.stats = CovarianceStats.inFolder(dir);
        }
    }
}
