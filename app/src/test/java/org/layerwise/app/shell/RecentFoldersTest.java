package org.layerwise.app.shell;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

class RecentFoldersTest {
    private final Preferences prefs = Preferences.userRoot().node("org/layerwise/test/recent-" + System.nanoTime());

    @AfterEach
    void removePrefs() throws Exception {
        prefs.removeNode();
    }

    @Test
    void newestFirstWithoutDuplicatesCappedAndRemembered(@TempDir Path dir) throws Exception {
        RecentFolders recent = new RecentFolders(prefs);
        for (int i = 0; i < RecentFolders.LIMIT + 2; i++) recent.remember(dir.resolve("m" + i));
        recent.remember(dir.resolve("m3"));
        assertThat(recent.folders()).hasSize(RecentFolders.LIMIT);
        assertThat(recent.folders().get(0)).isEqualTo(dir.resolve("m3"));
        assertThat(recent.folders()).doesNotHaveDuplicates().doesNotContain(dir.resolve("m0"));

        RecentFolders again = new RecentFolders(prefs);
        assertThat(again.folders()).containsExactlyElementsOf(recent.folders());
        Files.createDirectories(dir.resolve("x"));
        again.remember(dir.resolve("x").resolve("model"));
        assertThat(again.lastFolder()).isEqualTo(dir.resolve("x").toFile());
        again.forget(dir.resolve("m3"));
        assertThat(new RecentFolders(prefs).folders()).doesNotContain(dir.resolve("m3"));
    }
}
