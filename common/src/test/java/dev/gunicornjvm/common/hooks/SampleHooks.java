package dev.gunicornjvm.common.hooks;

import dev.gunicornjvm.hooks.RequestInfo;
import dev.gunicornjvm.hooks.ServerHooks;
import dev.gunicornjvm.hooks.WorkerInfo;

/** A --hooks class for HooksLoaderTest: it has pre_request only. */
public class SampleHooks implements ServerHooks {
    @Override
    public void preRequest(WorkerInfo worker, RequestInfo request) {
    }

    /** Not a hooks class: no public no-argument constructor. */
    public static class NoConstructor implements ServerHooks {
        public NoConstructor(String x) {
        }
    }

    /** Not a hooks class: does not implement ServerHooks. */
    public static class NotHooks {
    }
}
