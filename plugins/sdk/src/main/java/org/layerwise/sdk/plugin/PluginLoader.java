package org.layerwise.sdk.plugin;

import org.layerwise.sdk.WorkbenchPlugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the workspaces: every {@link WorkbenchPlugin} listed in {@code META-INF/services}. Each provider is
 * loaded on its own, so one broken plugin (missing class, constructor that throws, missing dependency) becomes
 * a failed {@link PluginLoadResult} with its reason while the others load. Needs no JavaFX.
 */
public final class PluginLoader {
    /** Guards against a service iterator that keeps failing at the same spot. */
    private static final int MAX_PROVIDERS = 1000;
    private static final Pattern PROVIDER_NAME = Pattern.compile("Provider (\\S+)");

    private final ClassLoader classLoader;

    public PluginLoader() {
        this(Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : PluginLoader.class.getClassLoader());
    }

    public PluginLoader(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    }

    /** All providers, loaded ones first in sidebar order ({@link WorkbenchPlugin#order()}, then title). */
    public List<PluginLoadResult> load() {
        List<PluginLoadResult> loaded = new ArrayList<>();
        List<PluginLoadResult> failed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Iterator<ServiceLoader.Provider<WorkbenchPlugin>> providers =
                ServiceLoader.load(WorkbenchPlugin.class, classLoader).stream().iterator();
        for (int seen = 0; seen < MAX_PROVIDERS; seen++) {
            ServiceLoader.Provider<WorkbenchPlugin> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // the class could not be found or linked; the iterator moves on to the next listed provider
                failed.add(PluginLoadResult.failed(providerName(e), reason(e), e));
                continue;
            }
            String name = provider.type().getName();
            WorkbenchPlugin plugin;
            try {
                plugin = provider.get();
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                failed.add(PluginLoadResult.failed(name, reason(e), e));
                continue;
            }
            try {
                String id = plugin.id();
                String title = plugin.title();
                if (id == null || id.isBlank() || title == null || title.isBlank()) {
                    failed.add(PluginLoadResult.failed(name, "The plugin has no id or title. Fix id() and title() in "
                            + name + ".", null));
                } else if (!ids.add(id)) {
                    failed.add(PluginLoadResult.failed(name, "Another plugin already uses the id '" + id
                            + "'. Two copies of the same plugin may be on the class path; remove one.", null));
                } else {
                    loaded.add(PluginLoadResult.loaded(plugin));
                }
            } catch (RuntimeException | LinkageError e) {
                failed.add(PluginLoadResult.failed(name, reason(e), e));
            }
        }
        loaded.sort(Comparator.comparingInt((PluginLoadResult r) -> order(r.plugin()))
                .thenComparing(r -> r.plugin().title()));
        List<PluginLoadResult> all = new ArrayList<>(loaded);
        all.addAll(failed);
        return List.copyOf(all);
    }

    /** Just the plugins that loaded, in sidebar order. */
    public static List<WorkbenchPlugin> plugins(List<PluginLoadResult> results) {
        return results.stream().filter(PluginLoadResult::isLoaded).map(PluginLoadResult::plugin).toList();
    }

    private static int order(WorkbenchPlugin plugin) {
        try {
            return plugin.order();
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String providerName(Throwable e) {
        Matcher m = PROVIDER_NAME.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
            return m.group(1);
        }
        if (e instanceof NoClassDefFoundError && e.getMessage() != null) {
            return e.getMessage().replace('/', '.');
        }
        return "unknown provider";
    }

    /** One sentence on what went wrong and one on what to do. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains(" not found") && e instanceof ServiceConfigurationError) {
            return "Its class was not found (" + message.replaceFirst("^.*?: ", "") + "). The plugin is listed in "
                    + "META-INF/services but its jar is missing or outdated; rebuild or reinstall the plugin.";
        }
        if (root instanceof LinkageError) {
            return "A class it needs is missing or incompatible (" + root + "). Rebuild the plugin against this "
                    + "version of Layerwise and check that its dependencies are on the class path.";
        }
        if (message.contains("could not be instantiated") || root != e) {
            return "It failed while starting: " + root + ". See the log for the full error; fix or remove the "
                    + "plugin.";
        }
        return "It could not be loaded: " + e + ". See the log for the full error; fix or remove the plugin.";
    }
}
