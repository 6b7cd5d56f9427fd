package dev.gunicornjvm.ctl;

/**
 * gunictl's entry point (bin/gunictl, the jar's Main-Class): a plain {@code gunictl status} goes the fast
 * path ({@link FastStatus}); everything else to {@link Gunictl} and picocli. Apart from Gunictl so that
 * the fast path loads none of picocli: the JVM resolves a main class's public method signatures, and
 * Gunictl's name picocli's classes.
 */
public final class GunictlMain {
    private GunictlMain() {
    }

    /** The JDK's own selector provider on Linux, where gunictl runs (bin/gunicorn-jvm-env.sh). */
    private static final String SELECTOR_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    public static void main(String[] args) {
        // Named, the JDK's selector provider is simply loaded; otherwise the first socket has ServiceLoader
        // look for another one in every jar of the class path first (gunictl's jars hold none).
        if (System.getProperty("java.nio.channels.spi.SelectorProvider") == null) {
            System.setProperty("java.nio.channels.spi.SelectorProvider", SELECTOR_PROVIDER);
        }
        FastStatus.Options fast = FastStatus.parse(args);
        if (fast != null) {
            System.exit(FastStatus.run(fast));
        }
        Gunictl.main(args);
    }
}
