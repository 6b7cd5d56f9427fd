package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * --metrics-bind on a real master: /metrics read with Prometheus' own text parser (Python's
 * prometheus_client, see bin/install-test-tools), request counts across a reload, and /health/ready
 * through a HUP, a WINCH and a TTIN. Daemonized (-D), since only a daemon obeys WINCH.
 */
class MetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prints the metric families the parser found as JSON: [{name, type, samples: [{name, labels, value}]}]. */
    private static final String PARSE = String.join("\n",
            "import json, sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "print(json.dumps([{'name': f.name, 'type': f.type, 'samples': [{'name': s.name, 'labels': s.labels,",
            "    'value': s.value} for s in f.samples]} for f in text_string_to_metric_families(sys.stdin.read())]))");
    private static final int REQUESTS = 20;

    /** The parsed /metrics. */
    private record Scrape(JsonNode families) {
        /** The sum of the samples of this name whose labels include these. */
        double value(String sample, Map<String, String> labels) {
            double sum = 0;
            for (JsonNode f : families) {
                for (JsonNode s : f.get("samples")) {
                    if (s.get("name").asText().equals(sample) && labels.entrySet().stream()
                            .allMatch(e -> e.getValue().equals(s.get("labels").path(e.getKey()).asText(null)))) {
                        sum += s.get("value").asDouble();
                    }
                }
            }
            return sum;
        }

        String type(String family) {
            for (JsonNode f : families) {
                if (f.get("name").asText().equals(family)) {
                    return f.get("type").asText();
                }
            }
            return null;
        }

        /** The pid labels of a per-worker series, for one generation. */
        Set<Long> pids(String generation) {
            Set<Long> pids = new HashSet<>();
            for (JsonNode f : families) {
                for (JsonNode s : f.get("samples")) {
                    if (s.get("name").asText().equals("gunicorn_worker_busy_threads")
                            && s.get("labels").path("generation").asText().equals(generation)) {
                        pids.add(s.get("labels").get("pid").asLong());
                    }
                }
            }
            return pids;
        }

        long requests() {
            return (long) value("gunicorn_requests_total", Map.of("status", "200"));
        }
    }

    private static Scrape scrape(String metrics) {
        Http.Reply r = Http.get(metrics + "/metrics");
        assertEquals(200, r.status(), r.error());
        try {
            Process python = new ProcessBuilder("/usr/bin/python3", "-c", PARSE).redirectErrorStream(true).start();
            python.getOutputStream().write(r.body().getBytes(StandardCharsets.UTF_8));
            python.getOutputStream().close();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(python.waitFor(30, TimeUnit.SECONDS) && python.exitValue() == 0,
                    "the Prometheus parser refused /metrics (bin/install-test-tools installs it):\n" + out + "\n" + r.body());
            return new Scrape(JSON.readTree(out));
        } catch (IOException e) {
            throw new AssertionError("cannot run /usr/bin/python3 (bin/install-test-tools): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls /health/ready until its answer matches; returns every distinct answer seen on the way. */
    private static List<String> awaitReady(String metrics, int status, String bodyRegex) {
        List<String> seen = new ArrayList<>();
        Wait.until("/health/ready to answer " + status + " " + bodyRegex + " (seen: " + seen + ")", Gunicorn.BOOT, () -> {
            Http.Reply r = Http.get(metrics + "/health/ready", Duration.ofSeconds(5));
            String answer = r.status() + " " + r.body().strip();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(answer)) {
                seen.add(answer);
            }
            return r.status() == status && r.body().strip().matches(bodyRegex);
        });
        return seen;
    }

    @Test
    void metricsAndHealthThroughRequestsReloadWinchAndTtin() throws Exception {
        Path dir = Scratch.dir("gunicorn-metrics-");
        Path pidfile = dir.resolve("app.pid");
        try (Gunicorn launcher = Gunicorn.start("-D", "-w", "2", "--threads", "2", "-b", "127.0.0.1:0",
                "--metrics-bind", "127.0.0.1:0", "-p", pidfile.toString(), "--error-logfile",
                dir.resolve("error.log").toString(), "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            assertEquals(0, launcher.awaitExit(Gunicorn.BOOT), launcher.output());
            long daemon = Long.parseLong(Gunicorn.read(pidfile).trim());
            List<Long> first = launcher.workersOf(daemon); // tracked, so the test cleans up after a failure
            String metrics = "http://127.0.0.1:"
                    + launcher.awaitOutput("Metrics at: http://127\\.0\\.0\\.1:(\\d+)", Gunicorn.BOOT).group(1);
            assertEquals(200, Http.get(metrics + "/health/live").status());
            awaitReady(metrics, 200, "ready: 2/2 workers of generation 1");

            // Both workers report (with their heartbeat); nothing served yet.
            Scrape before = Wait.forValue("both workers in /metrics", Gunicorn.BOOT, () -> {
                Scrape s = scrape(metrics);
                return s.pids("1").size() == 2 ? s : null;
            });
            assertEquals(Set.copyOf(launcher.workersOf(daemon)), before.pids("1"));
            assertEquals(2.0, before.value("gunicorn_workers", Map.of("state", "ready")));
            long served = before.requests();
            int port = launcher.port();
            for (int i = 0; i < REQUESTS; i++) {
                assertTrue(Http.getClosing("127.0.0.1", port, "/").ok());
            }
            Scrape after = Wait.forValue(REQUESTS + " more requests counted", Gunicorn.BOOT, () -> {
                Scrape s = scrape(metrics);
                return s.requests() >= served + REQUESTS ? s : null;
            });
            assertEquals(served + REQUESTS, after.requests(), "exactly the requests made");
            assertEquals("counter", after.type("gunicorn_requests"));
            assertEquals("histogram", after.type("gunicorn_request_duration_seconds"));
            assertEquals(served + REQUESTS, (long) after.value("gunicorn_request_duration_seconds_count",
                    Map.of("status", "200")));
            assertEquals(served + REQUESTS, (long) after.value("gunicorn_request_duration_seconds_bucket",
                    Map.of("status", "200", "le", "+Inf")));
            assertEquals(served + REQUESTS, (long) after.value("gunicorn_worker_requests_total", Map.of()));

            // HUP: not ready while generation 2 boots, then ready; the old workers' counts stay in the totals.
            Procs.kill("HUP", daemon);
            List<String> seen = awaitReady(metrics, 200, "ready: 2/2 workers of generation 2");
            assertTrue(seen.stream().anyMatch(a -> a.matches("503 not ready: [01]/2 workers of generation 2")),
                    "not ready while the new generation boots: " + seen);
            Wait.until("generation 1's workers to go", Gunicorn.BOOT,
                    () -> launcher.workersOf(daemon).stream().noneMatch(first::contains));
            Scrape reloaded = Wait.forValue("only generation 2 in /metrics", Gunicorn.BOOT, () -> {
                Scrape s = scrape(metrics);
                return s.pids("1").isEmpty() && s.pids("2").size() == 2 ? s : null;
            });
            assertEquals(Set.copyOf(launcher.workersOf(daemon)), reloaded.pids("2"));
            assertEquals(served + REQUESTS, reloaded.requests(), "the retired workers' requests are still counted");
            assertEquals(1.0, reloaded.value("gunicorn_reloads_total", Map.of("result", "success")));
            assertEquals(2.0, reloaded.value("gunicorn_generation", Map.of()));

            // WINCH: no workers wanted, not ready; TTIN: one wanted, ready once it accepts.
            Procs.kill("WINCH", daemon);
            awaitReady(metrics, 503, "not ready: 0/0 workers of generation 2 \\(no workers wanted: WINCH\\)");
            Procs.kill("TTIN", daemon);
            awaitReady(metrics, 200, "ready: 1/1 workers of generation 2");
            Scrape last = scrape(metrics);
            assertEquals(served + REQUESTS, last.requests());
            assertEquals(0.0, last.value("gunicorn_worker_restarts_total", Map.of()), "no worker ended by itself");
            assertEquals(200, Http.get(metrics + "/health/live").status());

            Procs.kill("QUIT", daemon);
            Wait.until("the daemon to exit", Duration.ofSeconds(30), () -> !Procs.alive(daemon));
        }
    }
}
