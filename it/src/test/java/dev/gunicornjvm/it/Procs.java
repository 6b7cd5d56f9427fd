package dev.gunicornjvm.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The process table as /proc shows it, and real signals sent with kill(1). */
final class Procs {
    private Procs() {
    }

    static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The state letter of /proc/PID/stat (R, S, Z, ...), or empty if there is no such process. */
    static String state(long pid) {
        String[] f = statFields(pid);
        return f == null ? "" : f[0];
    }

    /** The session id (field 6 of /proc/PID/stat). */
    static long session(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[3]);
    }

    /** The controlling terminal (field 7 of /proc/PID/stat); 0 means none. */
    static long tty(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[4]);
    }

    static long parent(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static boolean alive(long pid) {
        String s = state(pid);
        return !s.isEmpty() && !s.equals("Z") && !s.equals("X");
    }

    static List<Long> children(long pid) {
        List<Long> result = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(c -> parent(c) == pid).sorted().forEach(result::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    /**
     * Removes HotSpot's attach socket of a JVM that is gone. A JVM run with -Xrs (the master and every
     * worker) opens /tmp/.java_pidPID at start-up, and only a JVM that exits removes it: one killed with
     * -9 leaves it behind, always in /tmp. (The same as common's AttachSocket, which `mvn -pl it` would
     * take from the local repository, where it may not be yet.)
     */
    static void removeAttachSocket(long pid) {
        if (alive(pid)) {
            return;
        }
        Path socket = Path.of("/tmp/.java_pid" + pid);
        try {
            if (Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                Files.deleteIfExists(socket); // a socket: never a file or directory someone made
            }
        } catch (IOException e) {
            // none there (the usual case), or not ours to remove
        }
    }

    static void kill(String signal, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
