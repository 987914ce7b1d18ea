package org.layerwise.sdk.plugin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PluginLoaderTest {
    @Test
    void brokenProvidersFailAloneWithTheirReasons() {
        List<PluginLoadResult> results = new PluginLoader(getClass().getClassLoader()).load();

        assertThat(results).hasSize(3);
        assertThat(results.stream().filter(PluginLoadResult::isLoaded)).hasSize(1);
        assertThat(PluginLoader.plugins(results)).singleElement()
                .satisfies(p -> assertThat(p.id()).isEqualTo("good-test"));

        PluginLoadResult throwing = failure(results, ThrowingTestPlugin.class.getName());
        assertThat(throwing.reason()).contains("failed while starting").contains("plugin.yaml is missing");
        assertThat(throwing.cause()).isNotNull();
        assertThat(throwing.displayName()).isEqualTo("ThrowingTestPlugin");

        PluginLoadResult missing = failure(results, "org.layerwise.sdk.plugin.NoSuchPlugin");
        assertThat(missing.reason()).contains("not found").contains("rebuild or reinstall");
        assertThat(missing.plugin()).isNull();
    }

    @Test
    void loadedPluginsComeFirst() {
        List<PluginLoadResult> results = new PluginLoader(getClass().getClassLoader()).load();
        assertThat(results.get(0).isLoaded()).isTrue();
        assertThat(results.subList(1, results.size())).noneMatch(PluginLoadResult::isLoaded);
    }

    private static PluginLoadResult failure(List<PluginLoadResult> results, String provider) {
        return results.stream().filter(r -> r.provider().equals(provider)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + provider + " in " + results));
    }
}
