package dev.gunicornjvm.ctl.target;

/**
 * Whatever holds the -p/--pid and --control-dir choice: the top-level command today, and an
 * interactive shell that keeps them across lines later. Commands ask their parent through this, so
 * they do not depend on which one it is.
 */
public interface TargetSource {
    Target target();
}
