package org.layerwise.engine.runs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema: classpath resources {@code <folder>/V1__name.sql}, {@code V2__…}, … listed in order in
 * {@code <folder>/migrations.txt} (a folder inside a jar cannot be listed). Each pending version is applied in its own
 * transaction together with its row in {@code schema_version}, so a failed migration leaves the database at
 * the previous version. A database written by a newer Layerwise (a version above the newest file here) is
 * refused rather than guessed at.
 */
final class SchemaMigrations {
    /** One migration file. */
    record Migration(int version, String resource, String sql) {}

    private final ClassLoader loader;
    private final String folder;

    SchemaMigrations(ClassLoader loader, String folder) {
        this.loader = loader;
        this.folder = folder.endsWith("/") ? folder : folder + "/";
    }

    static SchemaMigrations standard() {
        return new SchemaMigrations(SchemaMigrations.class.getClassLoader(), "db");
    }

    /** Every migration listed in {@code <folder>/migrations.txt}, in order; versions must run 1, 2, 3, … */
    List<Migration> available() {
        String index = read(folder + "migrations.txt");
        if (index == null) {
            throw new RunStoreException("no schema migrations: " + folder + "migrations.txt is missing from the "
                    + "classpath; the Layerwise engine jar is incomplete, rebuild it");
        }
        List<Migration> found = new ArrayList<>();
        for (String line : index.split("\r?\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) continue;
            int expected = found.size() + 1;
            if (!name.startsWith("V" + expected + "__") || !name.endsWith(".sql")) {
                throw new RunStoreException(folder + "migrations.txt lists " + name + " where V" + expected
                        + "__<description>.sql was expected; versions must be numbered 1, 2, 3, … in order");
            }
            String sql = read(folder + name);
            if (sql == null) {
                throw new RunStoreException(folder + "migrations.txt lists " + name + " but " + folder + name
                        + " is not on the classpath");
            }
            found.add(new Migration(expected, folder + name, sql));
        }
        return found;
    }

    int latestVersion() {
        return available().size();
    }

    /** Brings {@code connection} to the latest version; returns the version it ends at. */
    int migrate(Connection connection, String databaseName) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    + "applied_at INTEGER NOT NULL, script TEXT NOT NULL)");
        }
        List<Migration> migrations = available();
        int current = currentVersion(connection);
        if (current > migrations.size()) {
            throw new RunStoreException("the run store " + databaseName + " has schema version " + current
                    + " but this Layerwise knows versions up to " + migrations.size()
                    + "; it was written by a newer Layerwise. Use that version, or point --data-dir (or "
                    + "LAYERWISE_HOME) at another directory.");
        }
        for (Migration m : migrations.subList(current, migrations.size())) {
            apply(connection, m, databaseName);
        }
        return migrations.size();
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private void apply(Connection connection, Migration m, String databaseName) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (Statement st = connection.createStatement()) {
                for (String sql : statements(m.sql())) st.execute(sql);
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO schema_version (version, applied_at, script) VALUES (?, ?, ?)")) {
                ps.setInt(1, m.version());
                ps.setLong(2, System.currentTimeMillis());
                ps.setString(3, m.resource());
                ps.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw new RunStoreException("migrating the run store " + databaseName + " to version " + m.version()
                    + " failed in " + m.resource() + ": " + e.getMessage()
                    + "; the database is unchanged at version " + (m.version() - 1), e);
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Splits a script on ';' at line ends, dropping '--' comment lines (so no triggers with inner ';'). */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) continue;
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) out.add(current.toString().strip());
        return out;
    }

    private String read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RunStoreException("cannot read the schema migration " + resource + " from the classpath", e);
        }
    }
}
