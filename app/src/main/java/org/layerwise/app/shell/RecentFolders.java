package org.layerwise.app.shell;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/**
 * The model folders opened lately, newest first, kept in preferences; also the last folder a chooser
 * showed, so the next chooser opens there.
 */
public final class RecentFolders {
    static final int LIMIT = 8;

    private final Preferences prefs;
    private final ObservableList<Path> folders = FXCollections.observableArrayList();

    public RecentFolders(Preferences prefs) {
        this.prefs = prefs.node("recent-models");
        for (int i = 0; i < LIMIT; i++) {
            String p = this.prefs.get("folder." + i, null);
            if (p != null) folders.add(Path.of(p));
        }
    }

    public ObservableList<Path> folders() {
        return folders;
    }

    public void remember(Path folder) {
        Path p = folder.toAbsolutePath().normalize();
        List<Path> next = new ArrayList<>(folders);
        next.remove(p);
        next.add(0, p);
        while (next.size() > LIMIT) next.remove(next.size() - 1);
        folders.setAll(next);
        for (int i = 0; i < LIMIT; i++) {
            if (i < next.size()) prefs.put("folder." + i, next.get(i).toString());
            else prefs.remove("folder." + i);
        }
        rememberLastFolder(p.getParent() != null ? p.getParent() : p);
    }

    public void forget(Path folder) {
        List<Path> next = new ArrayList<>(folders);
        next.remove(folder);
        folders.setAll(next);
        for (int i = 0; i < LIMIT; i++) {
            if (i < next.size()) prefs.put("folder." + i, next.get(i).toString());
            else prefs.remove("folder." + i);
        }
    }

    /** The folder a file or folder chooser should open in, if it still exists. */
    public java.io.File lastFolder() {
        String p = prefs.get("last-folder", null);
        if (p == null) return null;
        java.io.File f = new java.io.File(p);
        return f.isDirectory() ? f : null;
    }

    public void rememberLastFolder(Path folder) {
        if (folder != null) prefs.put("last-folder", folder.toAbsolutePath().toString());
    }
}
