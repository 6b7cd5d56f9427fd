package dev.gunicornjvm.common.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Pointer;

/**
 * Sets the text {@code ps} shows for this process, as setproctitle does in C servers: the kernel
 * reports /proc/PID/cmdline from the original argv area, so we overwrite that area in place with the
 * title and pad the rest with NULs. The area's bounds come from /proc/self/stat (fields 48 and 49).
 * A title longer than the area is cut; that only matters for very short command lines.
 */
public final class ProcessTitle {
    private ProcessTitle() {
    }

    /** Sets the title; returns false (and changes nothing) if the argv area cannot be found. */
    public static boolean set(String title) {
        long[] area = argvArea();
        if (area == null) {
            return false;
        }
        int length = (int) (area[1] - area[0]);
        byte[] text = title.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[length];
        System.arraycopy(text, 0, bytes, 0, Math.min(text.length, length - 1));
        Posix posix = Posix.get();
        Pointer argv = Pointer.wrap(posix.runtime(), area[0]);
        argv.put(0, bytes, 0, bytes.length);
        return true;
    }

    private static long[] argvArea() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name, which is in parentheses and may itself hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // fields[0] is field 3 (state), so field N is fields[N - 3].
            long start = Long.parseLong(fields[48 - 3]);
            long end = Long.parseLong(fields[49 - 3]);
            return end > start ? new long[] {start, end} : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
