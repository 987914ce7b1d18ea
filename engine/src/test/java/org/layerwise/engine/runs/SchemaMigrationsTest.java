package org.layerwise.engine.runs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaMigrationsTest {
    @TempDir Path dir;

    private static SchemaMigrations migrations(String folder) {
        return new SchemaMigrations(SchemaMigrationsTest.class.getClassLoader(), folder);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db"));
    }

    @Test
    void aFreshStoreIsAtTheLatestVersionWithEveryTable() throws Exception {
        try (SqliteRunStore store = SqliteRunStore.open(dir)) {
            int latest = SchemaMigrations.standard().latestVersion();
            assertThat(latest).isGreaterThanOrEqualTo(1);
            assertThat(store.schemaVersion()).isEqualTo(latest);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteRunStore.DATABASE_FILE))) {
            assertThat(strings(c, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
                    .contains("artifacts", "metrics", "runs", "schema_version", "trace_events");
            assertThat(strings(c, "SELECT script FROM schema_version ORDER BY version")).containsExactly("db/V1__init.sql");
            assertThat(strings(c, "SELECT name FROM sqlite_master WHERE type = 'index'")).contains("metrics_by_run_name");
        }
    }

    @Test
    void aStoreWrittenByANewerLayerwiseIsRefused() throws Exception {
        SqliteRunStore.open(dir).close();
        int future = SchemaMigrations.standard().latestVersion() + 1;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteRunStore.DATABASE_FILE));
             Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_version VALUES (" + future + ", 0, 'db/V" + future + "__future.sql')");
        }
        assertThatThrownBy(() -> SqliteRunStore.open(dir))
                .isInstanceOf(RunStoreException.class)
                .hasMessageContaining("schema version " + future)
                .hasMessageContaining("newer Layerwise")
                .hasMessageContaining(dir.resolve(SqliteRunStore.DATABASE_FILE).toString());
    }

    @Test
    void anOlderDatabaseIsUpgradedInPlaceKeepingItsRows() throws Exception {
        try (Connection c = connect()) {
            assertThat(migrations("migrations-v1").migrate(c, "test.db")).isEqualTo(1);
            c.createStatement().executeUpdate("INSERT INTO notes (text) VALUES ('kept')");
        }
        try (Connection c = connect()) {
            assertThat(migrations("migrations-v2").migrate(c, "test.db")).isEqualTo(2);
            assertThat(strings(c, "SELECT text || ':' || tag FROM notes")).containsExactly("kept:untagged");
            assertThat(strings(c, "SELECT version FROM schema_version ORDER BY version")).containsExactly("1", "2");
            // applying again is a no-op
            assertThat(migrations("migrations-v2").migrate(c, "test.db")).isEqualTo(2);
            assertThat(strings(c, "SELECT version FROM schema_version")).hasSize(2);
        }
    }

    @Test
    void aFailingMigrationRollsBackWholeAndNamesItsFile() throws Exception {
        try (Connection c = connect()) {
            assertThatThrownBy(() -> migrations("migrations-broken").migrate(c, "test.db"))
                    .isInstanceOf(RunStoreException.class)
                    .hasMessageContaining("migrations-broken/V2__half_broken.sql")
                    .hasMessageContaining("no_such_table")
                    .hasMessageContaining("unchanged at version 1");
            assertThat(SchemaMigrations.currentVersion(c)).isEqualTo(1);
            // the statement before the failing one was rolled back with it
            assertThat(strings(c, "SELECT name FROM sqlite_master WHERE name = 'tags'")).isEmpty();
            assertThat(c.getAutoCommit()).isTrue();
        }
    }

    @Test
    void aMissingOrMisnumberedIndexIsAClearError() {
        assertThatThrownBy(() -> migrations("no-such-folder").available())
                .hasMessageContaining("no-such-folder/migrations.txt is missing");
    }

    @Test
    void scriptsSplitIntoStatementsWithoutComments() {
        assertThat(SchemaMigrations.statements("-- header\nCREATE TABLE a (\n  x INT -- inline\n);\n\n"
                + "CREATE INDEX i ON a(x);\nINSERT INTO a VALUES (1)"))
                .containsExactly("CREATE TABLE a (\n  x INT -- inline\n)", "CREATE INDEX i ON a(x)",
                        "INSERT INTO a VALUES (1)");
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
