package org.layerwise.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class DataDirectoryTest {
    @TempDir Path tmp;
    private final Path home = Path.of("/home/ada");

    private static Properties props(String home) {
        Properties p = new Properties();
        if (home != null) p.setProperty(DataDirectory.SYSTEM_PROPERTY, home);
        return p;
    }

    @Test
    void explicitOverrideWinsOverEverything() {
        assertThat(DataDirectory.locate(Path.of("/data/lw"), Map.of("LAYERWISE_HOME", "/env", "XDG_DATA_HOME", "/xdg"),
                props("/prop"), home)).isEqualTo(Path.of("/data/lw"));
    }

    @Test
    void environmentThenSystemPropertyThenXdgThenHome() {
        assertThat(DataDirectory.locate(null, Map.of("LAYERWISE_HOME", "/env", "XDG_DATA_HOME", "/xdg"), props("/prop"), home))
                .isEqualTo(Path.of("/env"));
        assertThat(DataDirectory.locate(null, Map.of("LAYERWISE_HOME", " ", "XDG_DATA_HOME", "/xdg"), props("/prop"), home))
                .isEqualTo(Path.of("/prop"));
        assertThat(DataDirectory.locate(null, Map.of("XDG_DATA_HOME", "/xdg"), props(null), home))
                .isEqualTo(Path.of("/xdg/layerwise"));
        assertThat(DataDirectory.locate(null, Map.of("XDG_DATA_HOME", "relative/xdg"), props(null), home))
                .isEqualTo(Path.of("/home/ada/.local/share/layerwise"));
        assertThat(DataDirectory.locate(null, Map.of(), props(null), home))
                .isEqualTo(Path.of("/home/ada/.local/share/layerwise"));
    }

    @Test
    void tildeMeansHome() {
        assertThat(DataDirectory.locate(null, Map.of("LAYERWISE_HOME", "~/runs"), props(null), home))
                .isEqualTo(Path.of("/home/ada/runs"));
    }

    @Test
    void resolveCreatesTheDirectory() {
        Path wanted = tmp.resolve("a/b/layerwise");
        assertThat(DataDirectory.resolve(wanted)).isEqualTo(wanted);
        assertThat(Files.isDirectory(wanted)).isTrue();
    }
}
