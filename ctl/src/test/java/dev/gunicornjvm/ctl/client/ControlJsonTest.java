package dev.gunicornjvm.ctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gunicornjvm.common.control.ControlCommand;
import dev.gunicornjvm.common.control.ControlProtocol;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.ctl.output.Report;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streaming reader and writer must agree with databind (ControlProtocol.JSON) to the byte. */
class ControlJsonTest {
    /** Every field set to something other than its default, strings that need escaping. */
    static MasterStatus full() {
        return new MasterStatus(4242, "0.1.0 \"beta\"", 86_400L * 400, "app.Servlet\u00e9\t\\", List.of("http://127.0.0.1:8000",
                "unix:/run/g.sock"), "/etc/g\n.toml", "/run/g.pid", true, true, 7, UpgradeRole.OLD_MASTER_RUNNING, 4100, 3, 2,
                true, List.of(new MasterStatus.Worker(5000, 7, 12, WorkerState.READY, false, Long.MAX_VALUE, 250),
                        new MasterStatus.Worker(5001, 6, 3_000_000_000L, WorkerState.STOPPING, false, 0, 12_345),
                        new MasterStatus.Worker(5002, 7, 1, WorkerState.STANDBY, true, 0, 99),
                        new MasterStatus.Worker(Integer.MAX_VALUE, -1, 0, WorkerState.BOOTING, true, 1, 0)),
                new MasterStatus.Reload(Long.MIN_VALUE, true, false, "bad config: \u2603", 6));
    }

    static List<MasterStatus> statuses() {
        MasterStatus f = full();
        return List.of(f,
                new MasterStatus(1, "v", 0, "a", List.of(), "command line", "gunicorn.pid", false, false, 1, UpgradeRole.NONE,
                        0, 0, 0, false, List.of(), null),
                new MasterStatus(2, null, 0, null, null, null, null, false, false, 0, null, 0, 0, 0, false, null,
                        new MasterStatus.Reload(0, false, false, null, 0)),
                new MasterStatus(3, "v", 1, "a", f.binds(), "c", "p", false, true, 2, UpgradeRole.NEW_MASTER_RUNNING, 9, 1, 0,
                        false, f.workers(), null));
    }

    @Test
    void writesWhatDatabindWrites() throws Exception {
        for (MasterStatus s : statuses()) {
            assertEquals(ControlProtocol.JSON.writeValueAsString(s), ControlJson.write(s));
            assertEquals(ControlProtocol.JSON.writeValueAsString(s.lastReload()), ControlJson.write(s.lastReload()));
        }
        Report report = new Report("status");
        report.step("one \"step\"");
        report.step("two");
        report.put("master", full());
        report.put("oldMaster", null);
        report.put("pid", 12);
        report.put("elapsed", 12L);
        report.put("rolledBack", false);
        report.put("signal", "HUP");
        Map<String, Object> json = new LinkedHashMap<>(Map.of("steps", new ArrayList<>(List.of(Map.of("millis", 5L)))));
        json.put("nested", Map.of("k", List.of(1, "2", true)));
        for (Object value : List.of(json, List.of(), Map.of())) {
            assertEquals(ControlProtocol.JSON.writeValueAsString(value), ControlJson.write(value));
        }
        // Report.toJson is package-private: through a reflective call, the map the Json output writes.
        var toJson = Report.class.getDeclaredMethod("toJson");
        toJson.setAccessible(true);
        Object reportJson = toJson.invoke(report);
        assertEquals(ControlProtocol.JSON.writeValueAsString(reportJson), ControlJson.write(reportJson));
    }

    @Test
    void writesRequestsAsDatabindDoes() throws Exception {
        for (ControlRequest r : List.of(ControlRequest.of("gunictl-1-1", ControlCommand.STATUS, null),
                ControlRequest.of("gunictl-1-2", ControlCommand.SCALE, Map.of("workers", 3)),
                ControlRequest.of("x", ControlCommand.STATUS, Map.of()))) {
            assertEquals(ControlProtocol.JSON.writeValueAsString(r), ControlJson.request(r.v(), r.id(), r.command(), r.args()));
        }
    }

    @Test
    void readsWhatDatabindReads() throws Exception {
        List<String> lines = new ArrayList<>();
        for (MasterStatus s : statuses()) {
            lines.add(ControlProtocol.JSON.writeValueAsString(ControlResponse.success("id-1", s)));
        }
        lines.add(ControlProtocol.JSON.writeValueAsString(ControlResponse.failure("id-2", "busy", "try again")));
        lines.add("{\"v\":1,\"id\":\"i\",\"ok\":true,\"extra\":{\"a\":[1,{\"b\":2}]},\"status\":{\"pid\":3,\"new\":[],"
                + "\"workers\":[{\"pid\":4,\"more\":null}]}}");
        lines.add("{}");
        lines.add(" {\"ok\":false,\"error\":{\"code\":\"x\"}} ");
        for (String line : lines) {
            assertEquals(ControlProtocol.JSON.readValue(line, ControlResponse.class), ControlJson.response(line), line);
        }
    }

    @Test
    void refusesAllButThePlainFormSoThatDatabindDecides() {
        for (String line : List.of("", "[]", "{", "{\"v\":\"1\"}", "{\"v\":null}", "{\"ok\":1}", "{\"v\":1.5}",
                "{\"status\":{\"pid\":99999999999}}", "{\"status\":{\"upgrade\":\"sideways\"}}", "{} {}",
                "{\"status\":{\"binds\":\"one\"}}", "{\"status\":{\"workers\":[{\"state\":\"dancing\"}]}}")) {
            assertThrows(Exception.class, () -> ControlJson.response(line), line);
        }
        assertThrows(ControlJson.Unsupported.class, () -> ControlJson.write(Map.of("x", 1.5)));
        assertThrows(ControlJson.Unsupported.class, () -> ControlJson.write(Map.of("x", new Object())));
    }
}
