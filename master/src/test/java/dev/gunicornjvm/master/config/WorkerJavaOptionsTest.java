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
            assertTrue(GunicornCommand.trimsNativeHeap(Runtime.Version.parse(version)), version);
        }
        for (String version : List.of("17", "17.0.8", "18.0.2", "20.0.1", "21")) {
            assertFalse(GunicornCommand.trimsNativeHeap(Runtime.Version.parse(version)), version);
        }
    }

    @Test
    void theDefaultsStartSmallAndTrimWhereTheyCan() {
        List<String> old = GunicornCommand.defaultWorkerJavaOptions(Runtime.Version.parse("17.0.2"));
        List<String> recent = GunicornCommand.defaultWorkerJavaOptions(Runtime.Version.parse("17.0.15"));
        assertTrue(old.contains("-Xms8m"), old.toString());
        assertFalse(old.stream().anyMatch(o -> o.startsWith("-XX:TrimNativeHeapInterval")), old.toString());
        assertEquals(old.size() + 1, recent.size());
        assertTrue(recent.contains("-XX:TrimNativeHeapInterval=2000"), recent.toString());
    }
}
