package dev.gunicornjvm.ctl.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gunicornjvm.common.control.ControlProtocol;
import dev.gunicornjvm.ctl.client.ControlJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Prints a {@link Report} for people (progress lines as they happen, then the result; failures on stderr)
 * or for scripts (one JSON object on stdout at the end). Failures always get their one line on stderr
 * too, so that a script piping --json still leaves a trace for the person reading its log.
 */
public abstract class Output {
    protected final PrintWriter out;
    protected final PrintWriter err;

    Output(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** The writers come from picocli, so that a shell running many commands can send them elsewhere. */
    public static Output of(boolean json, PrintWriter out, PrintWriter err) {
        return json ? new Json(out, err) : new Text(out, err);
    }

    /** Starts reporting on this command's report. */
    public void attach(Report report) {
        // A class, not this::step: linking a method reference costs gunictl status milliseconds.
        report.onStep(new Consumer<>() {
            @Override
            public void accept(Report.Step step) {
                step(step);
            }
        });
    }

    abstract void step(Report.Step step);

    public void finish(Report report) {
        if (!report.ok()) {
            err.println("gunictl " + report.command() + ": " + report.message());
        }
        out.flush();
        err.flush();
    }

    private static final class Text extends Output {
        Text(PrintWriter out, PrintWriter err) {
            super(out, err);
        }

        @Override
        void step(Report.Step step) {
            out.println("[" + Pad.left(Pad.seconds1(step.millis()), 5) + "s] " + step.text()); // "[%5.1fs] %s"
            out.flush();
        }

        @Override
        public void finish(Report report) {
            if (report.ok() && !report.text().isEmpty()) {
                out.println(report.text());
            }
            super.finish(report);
        }
    }

    private static final class Json extends Output {
        Json(PrintWriter out, PrintWriter err) {
            super(out, err);
        }

        @Override
        void step(Report.Step step) {
            // Collected in the report; printed with the result.
        }

        @Override
        public void finish(Report report) {
            Map<String, Object> json = report.toJson();
            String text;
            try {
                text = ControlJson.write(json);
            } catch (IOException notPlain) {
                // A value the streaming writer does not take: databind writes it.
                try {
                    text = ControlProtocol.JSON.writeValueAsString(json);
                } catch (JsonProcessingException e) {
                    err.println("gunictl " + report.command() + ": cannot write JSON: " + e.getOriginalMessage());
                    text = null;
                }
            }
            if (text != null) {
                out.println(text);
            }
            super.finish(report);
        }
    }
}
