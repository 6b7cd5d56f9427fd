package dev.gunicornjvm.ctl.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.control.WorkerState;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * gunictl's JSON with Jackson's streaming API (jackson-core) instead of databind's ObjectMapper: a
 * gunictl run exchanges one small message, and setting up databind for it (introspecting the records,
 * building their (de)serializers) cost more than all the rest of {@code gunictl status}.
 *
 * <p>It reads and writes exactly what {@code ControlProtocol.JSON} does for these types (ControlTest
 * checks both ways against databind), but only their plain form: anything else (a null where a number
 * belongs, a number as a string, a value of another type) is refused with an exception, and the caller
 * then hands the same text or value to databind, so that its answer, or its error message, stays
 * exactly what it was.
 */
public final class ControlJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ControlJson() {
    }

    /** A value this class does not write; the caller uses databind for it. */
    public static final class Unsupported extends IOException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** A request line's JSON, as databind writes a {@code ControlRequest}. */
    static String request(int v, String id, String command, Map<String, Object> args) throws IOException {
        StringWriter w = new StringWriter(96);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("v", v);
            g.writeStringField("id", id);
            g.writeStringField("command", command);
            g.writeFieldName("args");
            write(g, args);
            g.writeEndObject();
        }
        return w.toString();
    }

    /** One JSON value: what a gunictl report holds (see {@code output.Report.toJson}). */
    public static String write(Object value) throws IOException {
        StringWriter w = new StringWriter(1024);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(g, value);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new Unsupported("map key " + e.getKey());
                }
                g.writeFieldName(key);
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof MasterStatus s) {
            status(g, s);
        } else if (value instanceof MasterStatus.Reload r) {
            reload(g, r);
        } else {
            throw new Unsupported(value.getClass().getName());
        }
    }

    private static void status(JsonGenerator g, MasterStatus s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("pid", s.pid());
        g.writeStringField("version", s.version());
        g.writeNumberField("uptimeSeconds", s.uptimeSeconds());
        g.writeStringField("app", s.app());
        g.writeFieldName("binds");
        write(g, s.binds());
        g.writeStringField("configSource", s.configSource());
        g.writeStringField("pidFile", s.pidFile());
        g.writeBooleanField("daemon", s.daemon());
        g.writeBooleanField("preload", s.preload());
        g.writeNumberField("generation", s.generation());
        g.writeFieldName("upgrade");
        write(g, s.upgrade() == null ? null : s.upgrade().wire());
        g.writeNumberField("otherMaster", s.otherMaster());
        g.writeNumberField("targetWorkers", s.targetWorkers());
        g.writeNumberField("targetStandby", s.targetStandby());
        g.writeBooleanField("stopping", s.stopping());
        g.writeFieldName("workers");
        if (s.workers() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (MasterStatus.Worker w : s.workers()) {
                if (w == null) {
                    g.writeNull();
                    continue;
                }
                g.writeStartObject();
                g.writeNumberField("pid", w.pid());
                g.writeNumberField("generation", w.generation());
                g.writeNumberField("ageSeconds", w.ageSeconds());
                g.writeFieldName("state");
                write(g, w.state() == null ? null : w.state().wire());
                g.writeBooleanField("standby", w.standby());
                g.writeNumberField("requests", w.requests());
                g.writeNumberField("lastHeartbeatMillis", w.lastHeartbeatMillis());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeFieldName("lastReload");
        reload(g, s.lastReload());
        g.writeEndObject();
    }

    private static void reload(JsonGenerator g, MasterStatus.Reload r) throws IOException {
        if (r == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeNumberField("sequence", r.sequence());
        g.writeBooleanField("done", r.done());
        g.writeBooleanField("ok", r.ok());
        g.writeStringField("message", r.message());
        g.writeNumberField("generation", r.generation());
        g.writeEndObject();
    }

    /**
     * A response line, as databind reads a {@code ControlResponse} (unknown fields ignored, missing ones
     * null, 0 or false).
     *
     * @throws IOException for anything but the plain form, including a JSON error
     */
    public static ControlResponse response(String line) throws IOException {
        try (JsonParser p = FACTORY.createParser(line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            int v = 0;
            String id = null;
            boolean ok = false;
            MasterStatus status = null;
            ControlResponse.Error error = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "v" -> v = intValue(p, t);
                    case "id" -> id = string(p, t);
                    case "ok" -> ok = bool(t);
                    case "status" -> status = t == JsonToken.VALUE_NULL ? null : status(p, t);
                    case "error" -> error = t == JsonToken.VALUE_NULL ? null : error(p, t);
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT);
            if (p.nextToken() != null) {
                throw new IOException("more after the response");
            }
            return new ControlResponse(v, id, ok, status, error);
        }
    }

    private static ControlResponse.Error error(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_OBJECT);
        String code = null;
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "code" -> code = string(p, t);
                case "message" -> message = string(p, t);
                default -> p.skipChildren();
            }
        }
        return new ControlResponse.Error(code, message);
    }

    private static MasterStatus status(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_OBJECT);
        int pid = 0;
        String version = null;
        long uptimeSeconds = 0;
        String app = null;
        List<String> binds = null;
        String configSource = null;
        String pidFile = null;
        boolean daemon = false;
        boolean preload = false;
        int generation = 0;
        UpgradeRole upgrade = null;
        int otherMaster = 0;
        int targetWorkers = 0;
        int targetStandby = 0;
        boolean stopping = false;
        List<MasterStatus.Worker> workers = null;
        MasterStatus.Reload lastReload = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "pid" -> pid = intValue(p, t);
                case "version" -> version = string(p, t);
                case "uptimeSeconds" -> uptimeSeconds = longValue(p, t);
                case "app" -> app = string(p, t);
                case "binds" -> binds = strings(p, t);
                case "configSource" -> configSource = string(p, t);
                case "pidFile" -> pidFile = string(p, t);
                case "daemon" -> daemon = bool(t);
                case "preload" -> preload = bool(t);
                case "generation" -> generation = intValue(p, t);
                case "upgrade" -> upgrade = t == JsonToken.VALUE_NULL ? null : UpgradeRole.ofWire(string(p, t));
                case "otherMaster" -> otherMaster = intValue(p, t);
                case "targetWorkers" -> targetWorkers = intValue(p, t);
                case "targetStandby" -> targetStandby = intValue(p, t);
                case "stopping" -> stopping = bool(t);
                case "workers" -> workers = workers(p, t);
                case "lastReload" -> lastReload = t == JsonToken.VALUE_NULL ? null : reload(p, t);
                default -> p.skipChildren();
            }
        }
        return new MasterStatus(pid, version, uptimeSeconds, app, binds, configSource, pidFile, daemon, preload,
                generation, upgrade, otherMaster, targetWorkers, targetStandby, stopping, workers, lastReload);
    }

    private static List<MasterStatus.Worker> workers(JsonParser p, JsonToken start) throws IOException {
        if (start == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(start, JsonToken.START_ARRAY);
        List<MasterStatus.Worker> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            list.add(worker(p, t));
        }
        return list;
    }

    private static MasterStatus.Worker worker(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_OBJECT);
        int pid = 0;
        int generation = 0;
        long ageSeconds = 0;
        WorkerState state = null;
        boolean standby = false;
        long requests = 0;
        long lastHeartbeatMillis = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "pid" -> pid = intValue(p, t);
                case "generation" -> generation = intValue(p, t);
                case "ageSeconds" -> ageSeconds = longValue(p, t);
                case "state" -> state = t == JsonToken.VALUE_NULL ? null : WorkerState.ofWire(string(p, t));
                case "standby" -> standby = bool(t);
                case "requests" -> requests = longValue(p, t);
                case "lastHeartbeatMillis" -> lastHeartbeatMillis = longValue(p, t);
                default -> p.skipChildren();
            }
        }
        return new MasterStatus.Worker(pid, generation, ageSeconds, state, standby, requests, lastHeartbeatMillis);
    }

    private static MasterStatus.Reload reload(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_OBJECT);
        long sequence = 0;
        boolean done = false;
        boolean ok = false;
        String message = null;
        int generation = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "sequence" -> sequence = longValue(p, t);
                case "done" -> done = bool(t);
                case "ok" -> ok = bool(t);
                case "message" -> message = string(p, t);
                case "generation" -> generation = intValue(p, t);
                default -> p.skipChildren();
            }
        }
        return new MasterStatus.Reload(sequence, done, ok, message, generation);
    }

    private static List<String> strings(JsonParser p, JsonToken start) throws IOException {
        if (start == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(start, JsonToken.START_ARRAY);
        List<String> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            list.add(string(p, t));
        }
        return list;
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.VALUE_STRING);
        return p.getText();
    }

    /** An int as databind reads it: a JSON integer in range (getIntValue refuses one out of range). */
    private static int intValue(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.VALUE_NUMBER_INT);
        return p.getIntValue();
    }

    private static long longValue(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.VALUE_NUMBER_INT);
        return p.getLongValue();
    }

    private static boolean bool(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        expect(t, JsonToken.VALUE_FALSE);
        return false;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }
}
