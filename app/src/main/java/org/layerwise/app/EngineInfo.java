package org.layerwise.app;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The versions and the device for the About dialog. Asking DJL for its engine loads the native
 * PyTorch library (a second or more), so call this off the FX thread.
 */
public final class EngineInfo {
    private EngineInfo() {}

    public static Map<String, String> describe(Path dataDir) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Layerwise", orUnknown(EngineInfo.class.getPackage().getImplementationVersion(), "0.1.0-SNAPSHOT"));
        rows.put("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")");
        rows.put("JavaFX", orUnknown(System.getProperty("javafx.runtime.version"), "not started"));
        String djl;
        try {
            djl = Engine.getDjlVersion();
        } catch (Throwable t) {
            djl = "unknown";
        }
        rows.put("DJL", djl);
        try {
            Engine engine = Engine.getInstance();
            boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
            rows.put(engine.getEngineName(), engine.getVersion());
            rows.put("Engine flavour", cuda ? "CUDA build (" + engine.getGpuCount() + " GPU)" : "CPU build");
            ai.djl.Device d = engine.defaultDevice();
            rows.put("Device", d.isGpu() ? "gpu(" + d.getDeviceId() + ")" : "cpu");
        } catch (Throwable t) {
            rows.put("PyTorch", "not available: " + t.getMessage());
            rows.put("Device", "cpu (engine failed to start)");
        }
        rows.put("Operating system", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        rows.put("Data folder", dataDir == null ? "–" : dataDir.toString());
        return rows;
    }

    private static String orUnknown(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }
}
