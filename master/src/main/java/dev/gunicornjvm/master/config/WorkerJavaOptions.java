package dev.gunicornjvm.master.config;

import java.util.ArrayList;
import java.util.List;

/** The JVM options workers get unless --worker-java-opts replaces them. */
final class WorkerJavaOptions {
    private WorkerJavaOptions() {
    }

    /**
     * Lean JVMs for workers; docs/configuration.md says why each is there. A small initial heap (the
     * JVM would otherwise start each worker at 1/64 of the machine's memory, and an eden that large is
     * all touched before the first GC) that grows only as far as it must, up to a maximum sized from the
     * machine's memory and the number of workers ({@link WorkerHeap}); full tiered compilation (C1, then
     * C2) where the CPUs leave it room, else C1 only ({@link #fullTiered}); a bounded code cache; native
     * memory freed by the compiler given back to the OS.
     */
    static List<String> defaults(int workers) {
        return defaults(WorkerJava.current(), workers);
    }

    /** The defaults for this many worker JVMs (workers and standbys) on the workers' JDK. */
    static List<String> defaults(WorkerJava java, int jvms) {
        return defaults(java.version(), WorkerHeap.maxHeapMegabytes(WorkerHeap.physicalMemoryBytes(), jvms),
                fullTiered(Runtime.getRuntime().availableProcessors(), jvms));
    }

    /**
     * C2 pays off once it has compiled an app's request path: 1.5 (hello world) to 1.9 (Spring) times
     * the requests/s of C1 alone. But it compiles for a minute or more of load, on cores the workers
     * share: with fewer than two cores per worker JVM, a HUP or a replaced worker under load booted in
     * over 60 s instead of about 15 (Spring, 2 workers on 2 cores), and throughput fell to a twentieth
     * meanwhile. So full tiered compilation only where each worker JVM has two cores (the JVM's count,
     * which honours a container's CPU limit).
     */
    static boolean fullTiered(int cpus, int jvms) {
        return cpus >= 2 * jvms;
    }

    static List<String> defaults(Runtime.Version java, long maxHeapMegabytes, boolean fullTiered) {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        if (!fullTiered) {
            options.add("-XX:TieredStopAtLevel=1");
        }
        options.addAll(List.of("-Xss512k", "-Xms8m", WorkerHeap.option(maxHeapMegabytes), "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=20", "-XX:ReservedCodeCacheSize=32m", "-XX:-UsePerfData"));
        if (trimsNativeHeap(java)) {
            options.add("-XX:TrimNativeHeapInterval=2000");
        }
        return List.copyOf(options);
    }

    /** -XX:TrimNativeHeapInterval came with JDK 22 and was backported to 17.0.9 and 21.0.1. */
    static boolean trimsNativeHeap(Runtime.Version java) {
        int feature = java.feature();
        return feature >= 22 || (feature == 21 && java.update() >= 1) || (feature == 17 && java.update() >= 9);
    }
}
