package org.layerwise.app;

import javafx.scene.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.app.cli.LayerwiseCommand;
import org.layerwise.app.shell.ShellLaunch;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;
import org.layerwise.sdk.plugin.PluginLoadResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private final List<ShellLaunch> launches = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Command(name = "hello", description = "Says hello (a plugin's command).")
    static final class Hello implements Callable<Integer> {
        @Option(names = "--fail") boolean fail;

        @Override
        public Integer call() {
            if (fail) throw new IllegalStateException("the model folder /x has no config.json");
            return 0;
        }
    }

    private static WorkbenchPlugin plugin(String id, List<Object> commands, boolean throwing) {
        return new WorkbenchPlugin() {
            @Override public String id() { return id; }
            @Override public String title() { return id; }
            @Override public Node createWorkspace(WorkbenchContext context) { return null; }
            @Override public List<Object> cliCommands() {
                if (throwing) throw new IllegalStateException("broken commands");
                return commands;
            }
        };
    }

    private int run(List<PluginLoadResult> plugins, String... args) {
        CommandLine cli = Main.commandLine(new LayerwiseCommand().withLauncher(r -> {
            launches.add(r);
            return 0;
        }), plugins);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsBuiltInAndPluginCommands() {
        int code = run(List.of(PluginLoadResult.loaded(plugin("greeter", List.of(new Hello()), false))), "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: layerwise", "gui", "hello", "Says hello", "--data-dir", "--version");
        assertThat(launches).isEmpty();
    }

    @Test
    void pluginCommandsInheritHelpAndVersion() {
        List<PluginLoadResult> plugins = List.of(PluginLoadResult.loaded(plugin("greeter", List.of(new Hello()), false)));
        assertThat(run(plugins, "hello", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: layerwise hello", "--fail", "--help", "--version");
        assertThat(run(plugins, "gui", "--version")).isZero();
        assertThat(out.toString()).contains("Layerwise 0.1", "Java 17");
    }

    @Test
    void noCommandStartsTheGuiWithTheDataFolderAndModel(@TempDir Path dir) {
        Path data = dir.resolve("data");
        assertThat(run(List.of(), "--data-dir", data.toString(), "--model", "m")).isZero();
        assertThat(launches).singleElement().satisfies(l -> {
            assertThat(l.dataDir()).isEqualTo(data.toAbsolutePath());
            assertThat(l.modelFolder()).isEqualTo(Path.of("m"));
        });
    }

    @Test
    void guiCommandTakesTheSameOptions(@TempDir Path dir) {
        List<PluginLoadResult> plugins = List.of(PluginLoadResult.loaded(plugin("p", List.of(), false)));
        assertThat(run(plugins, "gui", "--data-dir", dir.toString())).isZero();
        assertThat(launches).singleElement().satisfies(l -> {
            assertThat(l.dataDir()).isEqualTo(dir.toAbsolutePath());
            assertThat(l.modelFolder()).isNull();
            assertThat(l.plugins()).extracting(PluginLoadResult::displayName).containsExactly("p");
        });
    }

    @Test
    void deviceAndDtypeReachTheGuiAndBadWordsAreRefused(@TempDir Path dir) {
        assertThat(run(List.of(), "--data-dir", dir.toString(), "--device", "cpu", "--dtype", "float32")).isZero();
        assertThat(launches).singleElement().satisfies(l -> {
            assertThat(l.loadOptions().device()).isEqualTo(org.layerwise.engine.model.LoadOptions.DeviceChoice.CPU);
            assertThat(l.loadOptions().dtype()).isEqualTo(org.layerwise.engine.model.LoadOptions.DtypeChoice.FLOAT32);
        });
        assertThat(run(List.of(), "gui", "--data-dir", dir.toString(), "--dtype", "int4")).isEqualTo(1);
        assertThat(err.toString()).contains("--dtype 'int4' is not one of keep, float32, float16, bfloat16");
        assertThat(launches).hasSize(1);
    }

    @Test
    void aFailingCommandPrintsOneClearLineAndExitsWithOne() {
        int code = run(List.of(PluginLoadResult.loaded(plugin("greeter", List.of(new Hello()), false))), "hello", "--fail");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("error: the model folder /x has no config.json")
                .contains("layerwise hello --help").doesNotContain("at org.layerwise");
    }

    @Test
    void aBadOptionExitsWithTwoAndSaysWhich() {
        assertThat(run(List.of(), "--no-such-option")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
        assertThat(launches).isEmpty();
    }

    @Test
    void aPluginWhoseCommandsThrowIsSkippedAndOthersStay() {
        List<PluginLoadResult> plugins = List.of(
                PluginLoadResult.loaded(plugin("broken", List.of(), true)),
                PluginLoadResult.failed("com.example.Missing", "Its class was not found.", new ClassNotFoundException("com.example.Missing")),
                PluginLoadResult.loaded(plugin("greeter", List.of(new Hello()), false)));
        assertThat(run(plugins, "hello")).isZero();
    }

    @Test
    void versionNamesLayerwiseJavaAndDjl() {
        assertThat(run(List.of(), "--version")).isZero();
        assertThat(out.toString()).contains("Layerwise", "Java " + System.getProperty("java.version"), "DJL 0.36");
    }
}
