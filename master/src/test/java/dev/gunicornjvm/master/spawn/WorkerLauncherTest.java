package dev.gunicornjvm.master.spawn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WorkerLauncherTest {
    /** BouncyCastle reads the operator's PEM keys in the master; workers load a PKCS#12 with the JDK alone. */
    @Test
    void bouncyCastleStaysOffTheWorkersClassPath() {
        for (String jar : new String[] {"bcprov-jdk18on-1.87.jar", "bcpkix-jdk18on-1.87.jar", "bcutil-jdk18on-1.87.jar",
                "picocli-4.7.7.jar", "gunicorn-master-0.1.0-SNAPSHOT.jar", "prometheus-metrics-core-1.10.0.jar",
                "prometheus-metrics-exporter-httpserver-1.10.0.jar"}) {
            assertFalse(WorkerLauncher.workersNeed(Path.of("/opt/gunicorn-jvm/lib", jar)), jar);
        }
        for (String jar : new String[] {"jetty-server-12.1.14.jar", "gunicorn-worker-0.1.0-SNAPSHOT.jar",
                "gunicorn-common-0.1.0-SNAPSHOT.jar"}) {
            assertTrue(WorkerLauncher.workersNeed(Path.of("/opt/gunicorn-jvm/lib", jar)), jar);
        }
    }
}
