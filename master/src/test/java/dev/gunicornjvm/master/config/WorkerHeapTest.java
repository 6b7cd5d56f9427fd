package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkerHeapTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void halfTheMemoryDividedAmongTheJvms() {
        assertEquals(1024, WorkerHeap.maxHeapMegabytes(8 * GIB, 4));
        assertEquals(512, WorkerHeap.maxHeapMegabytes(4 * GIB, 4));
        assertEquals(1365, WorkerHeap.maxHeapMegabytes(8 * GIB, 3));
        assertEquals(2048, WorkerHeap.maxHeapMegabytes(8 * GIB, 2));
    }

    @Test
    void neverBelowTheMinimum() {
        assertEquals(256, WorkerHeap.maxHeapMegabytes(GIB, 4), "a 1 GiB container with 4 workers");
        assertEquals(256, WorkerHeap.maxHeapMegabytes(2 * GIB, 32));
        assertEquals(256, WorkerHeap.maxHeapMegabytes(0, 2), "memory unknown");
        assertEquals(256, WorkerHeap.maxHeapMegabytes(-1, 2));
    }

    @Test
    void neverAboveTheMaximum() {
        assertEquals(2048, WorkerHeap.maxHeapMegabytes(24 * GIB, 2), "this project's 24 GB machine, 2 workers");
        assertEquals(2048, WorkerHeap.maxHeapMegabytes(512 * GIB, 1));
        assertEquals(1536, WorkerHeap.maxHeapMegabytes(24 * GIB, 8));
    }

    @Test
    void aZeroOrNegativeCountIsOneJvm() {
        assertEquals(WorkerHeap.maxHeapMegabytes(2 * GIB, 1), WorkerHeap.maxHeapMegabytes(2 * GIB, 0));
    }

    @Test
    void theMachineHasSomeMemory() {
        assertTrue(WorkerHeap.physicalMemoryBytes() > 64L * 1024 * 1024, "this JVM's OperatingSystemMXBean");
        assertEquals("-Xmx300m", WorkerHeap.option(300));
    }
}
