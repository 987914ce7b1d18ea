package org.layerwise.engine.model;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Memory a model needs on a device against what the device has free. Weights live in native memory
 * (PyTorch's allocator), so on the CPU the JVM heap limit is irrelevant: the figure is the system's
 * available memory (/proc/meminfo MemAvailable on Linux); on a GPU, its free memory.
 *
 * @param availableBytes -1 when the device cannot say (then the load is attempted)
 */
public record MemoryEstimate(long neededBytes, long availableBytes, String device) {
    /** Activations, the key/value cache and the runtime: 10% of the weights plus 256 MiB. */
    static final long FIXED_MARGIN = 256L << 20;

    public static MemoryEstimate forWeights(long weightBytes, Device device) {
        long needed = weightBytes + weightBytes / 10 + FIXED_MARGIN;
        return new MemoryEstimate(needed, availableBytes(device), deviceName(device));
    }

    public boolean fits() { return availableBytes < 0 || neededBytes <= availableBytes; }

    /** Throws with "needs X GiB, Y GiB available" when it does not fit. */
    public void requireFits(String what) throws InsufficientMemoryException {
        if (!fits()) throw new InsufficientMemoryException(what, this);
    }

    /** Free bytes on {@code device}, or -1 when unknown. */
    public static long availableBytes(Device device) {
        if (device.isGpu()) {
            try {
                if (!CudaUtils.hasCuda()) return -1;
                MemoryUsage usage = CudaUtils.getGpuMemory(device);
                return usage.getMax() - usage.getCommitted();
            } catch (RuntimeException | LinkageError e) {
                return -1;
            }
        }
        long fromProc = memAvailable(Path.of("/proc/meminfo"));
        if (fromProc >= 0) return fromProc;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getFreeMemorySize();
        return -1;
    }

    /** MemAvailable in bytes from a meminfo file, or -1. */
    static long memAvailable(Path meminfo) {
        try {
            List<String> lines = Files.readAllLines(meminfo);
            for (String line : lines) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static String deviceName(Device device) {
        return device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : "cpu";
    }

    /** Bytes as GiB with one decimal ("?" when unknown). */
    public static String gib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    }
}
