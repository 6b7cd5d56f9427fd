package dev.gunicornjvm.hooks;

/**
 * The master as a hook sees it, at the moment of the event.
 *
 * @param masterPid  the master's pid
 * @param workers    the number of workers wanted now (-w, TTIN, TTOU...)
 * @param generation the current generation of workers (1 at start, one more per reload)
 * @param app        APP as given (a Servlet class, a WAR or a webapp directory)
 */
public record ServerInfo(long masterPid, int workers, int generation, String app) {
}
