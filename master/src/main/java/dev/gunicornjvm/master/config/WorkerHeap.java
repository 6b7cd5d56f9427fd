package dev.gunicornjvm.master.config;

import java.lang.management.ManagementFactory;

/**
 * The default maximum heap of a worker JVM: a share of the machine's memory (or the container's limit),
 * divided among the JVMs the master runs, within bounds. docs/configuration.md says why these numbers.
 *
 * <p>Workers start with a small heap ({@code -Xms8m}) and give memory back after load
 * ({@code -XX:MaxHeapFreeRatio=20}), so the maximum is a bound, not what a worker uses: a hello-world
 * worker's heap stays at 10-25 MB whatever {@code -Xmx} is, the Spring Boot example's at 30-60 MB.
 */
public final class WorkerHeap {
    /** All workers' heaps together may take up to this share of memory; the rest is for non-heap and the OS. */
    static final double SHARE_OF_MEMORY = 0.5;
    /**
     * Never less: about 3 times the heap the Spring Boot example uses under load, so that a small machine
     * with many workers still runs a framework app. Memory is only committed as the heap grows.
     */
    static final long MIN_MEGABYTES = 256;
    /** Never more: what a worker gets on a large machine; an app that needs more says so in --worker-java-opts. */
    static final long MAX_MEGABYTES = 2048;

    private WorkerHeap() {
    }

    /**
     * {@code -Xmx} in megabytes for each of jvmCount worker JVMs on a machine (or in a container) with
     * physicalMemoryBytes of memory: SHARE_OF_MEMORY of it divided by jvmCount, within
     * [MIN_MEGABYTES, MAX_MEGABYTES]. An unknown memory size (0 or less) gives MIN_MEGABYTES.
     */
    public static long maxHeapMegabytes(long physicalMemoryBytes, int jvmCount) {
        if (physicalMemoryBytes <= 0) {
            return MIN_MEGABYTES;
        }
        long share = (long) (physicalMemoryBytes * SHARE_OF_MEMORY) / Math.max(1, jvmCount) / (1024 * 1024);
        return Math.max(MIN_MEGABYTES, Math.min(MAX_MEGABYTES, share));
    }

    /** The {@code -Xmx} option for that size. */
    public static String option(long megabytes) {
        return "-Xmx" + megabytes + "m";
    }

    /**
     * The memory this JVM may use: the machine's, or the container's limit (cgroup v1 or v2) when lower;
     * the JDK's OperatingSystemMXBean reads both since JDK 14. 0 when it cannot say.
     */
    public static long physicalMemoryBytes() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return Math.max(0, os.getTotalMemorySize());
            }
        } catch (RuntimeException | LinkageError e) {
            // no management module, or a JDK without the com.sun extension: the minimum applies
        }
        return 0;
    }
}
