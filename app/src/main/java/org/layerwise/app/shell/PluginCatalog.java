package org.layerwise.app.shell;

import org.layerwise.sdk.WorkbenchPlugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds the workspace plugins on the class path through {@link ServiceLoader}, one slot per provider.
 * A provider that cannot be instantiated (missing class, throwing constructor, duplicate id) becomes a
 * failed slot with its reason instead of stopping discovery. Touches no JavaFX class state, so the CLI
 * can discover plugins without a display.
 */
public final class PluginCatalog {
    private static final int MAX_FAILURES = 64;

    private PluginCatalog() {}

    public static List<PluginSlot> discover() {
        return discover(ServiceLoader.load(WorkbenchPlugin.class, PluginCatalog.class.getClassLoader()));
    }

    static List<PluginSlot> discover(ServiceLoader<WorkbenchPlugin> loader) {
        List<PluginSlot> slots = new ArrayList<>();
        Iterator<WorkbenchPlugin> it = loader.iterator();
        int failures = 0;
        while (failures < MAX_FAILURES) {
            try {
                if (!it.hasNext()) break;
                slots.add(PluginSlot.loaded(it.next()));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                failures++;
                slots.add(PluginSlot.failed(providerName(e), e));
            }
        }
        return ordered(slots);
    }

    /** Sorts by the plugin's order then title, and turns a second plugin with a taken id into a failure. */
    public static List<PluginSlot> ordered(List<PluginSlot> slots) {
        List<PluginSlot> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (PluginSlot s : slots) {
            if (s.loaded() && !ids.add(s.id())) {
                out.add(PluginSlot.failed(s.source(), new IllegalStateException("plugin id '" + s.id()
                        + "' is already used by another plugin; give " + s.source() + " a unique id()")));
            } else {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingInt(PluginCatalog::order).thenComparing(PluginSlot::title));
        return out;
    }

    private static int order(PluginSlot s) {
        if (!s.loaded()) return Integer.MAX_VALUE;
        try {
            return s.plugin().order();
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE - 1;
        }
    }

    /** ServiceLoader puts the provider name in its message ("Provider a.b.C could not be instantiated"). */
    private static String providerName(Throwable e) {
        String m = String.valueOf(e.getMessage());
        for (String token : m.split("[\\s:]+")) {
            if (token.contains(".") && Character.isJavaIdentifierStart(token.charAt(0))
                    && !token.equals(WorkbenchPlugin.class.getName())) {
                return token;
            }
        }
        return "unknown plugin";
    }
}
