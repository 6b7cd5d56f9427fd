package dev.gunicornjvm.master.hooks;

import dev.gunicornjvm.hooks.ServerHooks;

/** A --hooks class that passes the check (found, implements, constructor) but cannot be made. */
public class ThrowingConstructorHooks implements ServerHooks {
    public ThrowingConstructorHooks() {
        throw new IllegalStateException("no hooks today");
    }
}
