package dev.gunicornjvm.master.metrics;

/**
 * Whether the master serves as it wants to: not stopping, and its current generation has all of its
 * workers accepting. So a WINCH (no workers wanted), a TTIN (one more wanted), or a HUP (a new generation
 * booting) makes it not ready until the workers are there.
 */
public record Readiness(boolean ready, String why) {
    static final Readiness STARTING = new Readiness(false, "not ready: starting");

    public static Readiness of(MasterView view) {
        if (view.stopping()) {
            return new Readiness(false, "not ready: shutting down");
        }
        long ready = view.readyOfCurrent();
        String counted = ready + "/" + view.target() + " workers of generation " + view.generation();
        if (view.target() == 0) {
            return new Readiness(false, "not ready: " + counted + " (no workers wanted: WINCH)");
        }
        return ready >= view.target() ? new Readiness(true, "ready: " + counted) : new Readiness(false, "not ready: " + counted);
    }
}
