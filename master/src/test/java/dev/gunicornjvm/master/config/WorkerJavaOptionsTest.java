package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerJavaOptionsTest {
    @Test
    void nativeHeapTrimmingOnlyWhereTheJdkHasTheOption() {
        for (String version : List.of("17.0.9", "17.0.15", "21.0.1", "22", "25.0.3")) {
            assertTrue(WorkerJavaOptions.trimsNativeHeap(Runtime.Version.parse(version)), version);
        }
        for (String version : List.of("17", "17.0.8", "18.0.2", "20.0.1", "21")) {
            assertFalse(WorkerJavaOptions.trimsNativeHeap(Runtime.Version.parse(version)), version);
        }
    }

    @Test
    void theDefaultsStartSmallAndTrimWhereTheyCan() {
        List<String> old = WorkerJavaOptions.defaults(Runtime.Version.parse("17.0.2"), 256, true);
        List<String> recent = WorkerJavaOptions.defaults(Runtime.Version.parse("17.0.15"), 256, true);
        assertTrue(old.contains("-Xms8m"), old.toString());
        assertFalse(old.stream().anyMatch(o -> o.startsWith("-XX:TrimNativeHeapInterval")), old.toString());
        assertEquals(old.size() + 1, recent.size());
        assertTrue(recent.contains("-XX:TrimNativeHeapInterval=2000"), recent.toString());
    }

    @Test
    void fullTieredCompilationWhereEachWorkerHasTwoCoresAndAHeapSizedForTheWorkers() {
        List<String> options = WorkerJavaOptions.defaults(Runtime.Version.parse("17.0.15"), 1536, true);
        assertTrue(options.contains("-Xmx1536m"), options.toString());
        assertTrue(options.contains("-XX:ReservedCodeCacheSize=32m"), options.toString());
        assertFalse(options.stream().anyMatch(o -> o.startsWith("-XX:TieredStopAtLevel")), options.toString());
        List<String> c1 = WorkerJavaOptions.defaults(Runtime.Version.parse("17.0.15"), 1536, false);
        assertTrue(c1.contains("-XX:TieredStopAtLevel=1"), c1.toString());
        assertTrue(WorkerJavaOptions.fullTiered(8, 4));
        assertTrue(WorkerJavaOptions.fullTiered(2, 1));
        assertFalse(WorkerJavaOptions.fullTiered(2, 2), "2 workers on 2 cores: C1 only");
        assertFalse(WorkerJavaOptions.fullTiered(8, 5));
        assertEquals(1, WorkerJavaOptions.defaults(2).stream().filter(o -> o.startsWith("-Xmx")).count());
    }

    @Test
    void moreWorkersGetNoLargerHeaps() {
        long one = WorkerHeap.maxHeapMegabytes(WorkerHeap.physicalMemoryBytes(), 1);
        long many = WorkerHeap.maxHeapMegabytes(WorkerHeap.physicalMemoryBytes(), 64);
        assertTrue(many <= one, many + " > " + one);
        assertTrue(WorkerJavaOptions.defaults(64).contains(WorkerHeap.option(many)));
    }
}
