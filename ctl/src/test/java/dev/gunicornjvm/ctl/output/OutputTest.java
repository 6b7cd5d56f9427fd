package dev.gunicornjvm.ctl.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gunicornjvm.ctl.support.GunictlException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OutputTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Report run(boolean json, boolean fail) {
        Output output = Output.of(json, new PrintWriter(out), new PrintWriter(err));
        Report report = new Report("reload");
        output.attach(report);
        report.step("sent HUP to master 7");
        report.put("master", 7);
        if (fail) {
            report.fail(GunictlException.failed("reload #2 failed: bad config"));
        } else {
            report.succeed("reloaded", "reloaded, in long form");
        }
        output.finish(report);
        return report;
    }

    @Test
    void textPrintsProgressThenTheResultAndFailuresOnStderr() {
        run(false, false);
        assertTrue(out.toString().matches("\\[ +\\d+\\.\\ds] sent HUP to master 7\\nreloaded, in long form\\n"), out.toString());
        assertEquals("", err.toString());
        out.getBuffer().setLength(0);
        run(false, true);
        assertEquals("gunictl reload: reload #2 failed: bad config\n", err.toString());
    }

    @Test
    void jsonIsOneObjectWithFixedKeysFirstAndTheFailureStillOnStderr() throws Exception {
        run(true, true);
        assertEquals(1, out.toString().lines().count(), out.toString());
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertEquals("reload", j.get("command").asText());
        assertEquals(false, j.get("ok").asBoolean());
        assertEquals(1, j.get("exitCode").asInt());
        assertEquals("reload #2 failed: bad config", j.get("error").asText());
        assertEquals("sent HUP to master 7", j.get("steps").get(0).get("text").asText());
        assertEquals(7, j.get("master").asInt());
        assertEquals("gunictl reload: reload #2 failed: bad config\n", err.toString());
    }
}
