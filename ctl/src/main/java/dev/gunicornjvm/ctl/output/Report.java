package dev.gunicornjvm.ctl.output;

import dev.gunicornjvm.ctl.support.ExitCode;
import dev.gunicornjvm.ctl.support.GunictlException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What one command did: the steps as they happened, the facts a script may want, and how it ended. The
 * command only fills this in; an {@link Output} decides whether it becomes text or one JSON object.
 */
public final class Report {
    /** One thing that happened, {@code millis} after the command started. */
    public record Step(long millis, String text) {
    }

    private final String command;
    private final long startNanos = System.nanoTime();
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Object> data = new LinkedHashMap<>();
    /** Null until an output attaches: no lambda here, as gunictl status makes one report per run. */
    private Consumer<Step> listener;
    private String message = "";
    /** What text output prints instead of the message, e.g. a status table; null to print the message. */
    private String text;
    private int exitCode = ExitCode.OK;

    public Report(String command) {
        this.command = command;
    }

    /** Called with each step as it happens (text output prints progress lines). */
    void onStep(Consumer<Step> listener) {
        this.listener = listener;
    }

    public void step(String text) {
        Step s = new Step(elapsedMillis(), text);
        steps.add(s);
        if (listener != null) {
            listener.accept(s);
        }
    }

    /** A fact for --json (e.g. "master": 1234); text output leaves it to the message. */
    public void put(String key, Object value) {
        data.put(key, value);
    }

    /** How a successful command ended, in one line. */
    public void succeed(String message) {
        succeed(message, null);
    }

    /** The same, with a longer text for people (a status table) in place of the line; JSON keeps the line. */
    public void succeed(String message, String text) {
        this.message = message;
        this.text = text;
        this.exitCode = ExitCode.OK;
    }

    public void fail(GunictlException e) {
        this.message = e.getMessage();
        this.exitCode = e.exitCode();
    }

    public String command() {
        return command;
    }

    public boolean ok() {
        return exitCode == ExitCode.OK;
    }

    public int exitCode() {
        return exitCode;
    }

    public String message() {
        return message;
    }

    /** What text output prints at the end: the long text if there is one, else the message. */
    String text() {
        return text != null ? text : message;
    }

    public long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** The JSON object: fixed keys first, so that scripts can rely on command/ok/exitCode/message. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("ok", ok());
        json.put("exitCode", exitCode);
        json.put(ok() ? "message" : "error", message);
        json.put("elapsedMillis", elapsedMillis());
        List<Map<String, Object>> stepsJson = new ArrayList<>();
        for (Step step : steps) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("millis", step.millis());
            one.put("text", step.text());
            stepsJson.add(one);
        }
        json.put("steps", stepsJson);
        json.putAll(data);
        return json;
    }
}
