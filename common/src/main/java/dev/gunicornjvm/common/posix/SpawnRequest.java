package dev.gunicornjvm.common.posix;

import java.util.List;
import java.util.Map;

/**
 * Everything posix_spawn needs to start a child the way a pre-fork server must: a chosen argv[0]
 * (the process title), an explicit environment, exactly the listed fds placed at the listed numbers,
 * every other fd closed, stdin on /dev/null, and the given signals blocked from the first instruction.
 *
 * @param childFds child fd number to the parent fd that is placed there; parent fds must not collide
 *                 with any child fd number (see {@link Posix#moveAbove})
 * @param detach   start the child in a new session, with stdout on /dev/null, and stderr too unless
 *                 {@code output} names a file (daemon mode)
 * @param output   a file to append the child's stderr to (the error log, so that even a JVM that
 *                 cannot start says why in it), or null to share the parent's; stdout stays the
 *                 parent's, where "--access-logfile -" goes
 */
public record SpawnRequest(String path, List<String> argv, List<String> environment,
                           Map<Integer, Integer> childFds, int[] blockedSignals, boolean detach, String output) {
}
