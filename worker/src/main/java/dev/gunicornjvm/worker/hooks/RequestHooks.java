package dev.gunicornjvm.worker.hooks;

import dev.gunicornjvm.common.hooks.HookRunner;
import dev.gunicornjvm.hooks.RequestInfo;
import dev.gunicornjvm.hooks.ResponseInfo;
import dev.gunicornjvm.hooks.ServerHooks;
import dev.gunicornjvm.hooks.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * pre_request and post_request, as a filter around the app: on the request's own thread (no hand-over,
 * no timeout: a hook here costs what a filter costs). A pre_request that throws answers 500, and the
 * app never sees the request, as in Gunicorn, where the exception ends the request; a post_request that
 * throws is logged, the response being already complete.
 */
final class RequestHooks extends Handler.Wrapper {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final ServerHooks hooks;
    private final WorkerInfo worker;
    private final boolean pre;
    private final boolean post;

    RequestHooks(Handler app, ServerHooks hooks, WorkerInfo worker, boolean pre, boolean post) {
        super(app);
        this.hooks = hooks;
        this.worker = worker;
        this.pre = pre;
        this.post = post;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        RequestInfo info = info(request);
        if (pre) {
            try {
                hooks.preRequest(worker, info);
            } catch (Throwable t) { // an Error too: the worker serves on
                LOG.error("Hook pre_request failed (answered 500): {}", HookRunner.describe(t));
                Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500);
                after(info, HttpStatus.INTERNAL_SERVER_ERROR_500, start, true, new AtomicBoolean());
                return true;
            }
        }
        if (!post) {
            return super.handle(request, response, callback);
        }
        AtomicBoolean reported = new AtomicBoolean();
        Callback done = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                after(info, response.getStatus(), start, false, reported);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                after(info, response.getStatus(), start, true, reported);
                super.failed(x);
            }
        };
        boolean handled;
        try {
            handled = super.handle(request, response, done);
        } catch (Throwable t) {
            after(info, HttpStatus.INTERNAL_SERVER_ERROR_500, start, true, reported); // Jetty answers 500
            throw t;
        }
        if (!handled) {
            after(info, HttpStatus.NOT_FOUND_404, start, false, reported); // Jetty answers 404
        }
        return handled;
    }

    private void after(RequestInfo info, int status, long start, boolean failed, AtomicBoolean reported) {
        if (!post || !reported.compareAndSet(false, true)) {
            return;
        }
        try {
            hooks.postRequest(worker, info, new ResponseInfo(status, System.nanoTime() - start, failed));
        } catch (Throwable t) {
            LOG.error("Hook post_request failed: {}", HookRunner.describe(t));
        }
    }

    private static RequestInfo info(Request request) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), name -> new ArrayList<>(1)).add(field.getValue());
        }
        headers.replaceAll((name, values) -> List.copyOf(values)); // read-only for the hook
        return new RequestInfo(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                Request.getRemoteAddr(request), headers);
    }
}
