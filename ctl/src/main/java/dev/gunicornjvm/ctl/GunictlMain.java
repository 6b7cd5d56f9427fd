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

    public static void main(String[] args) {
        FastStatus.Options fast = FastStatus.parse(args);
        if (fast != null) {
            System.exit(FastStatus.run(fast));
        }
        Gunictl.main(args);
    }
}
