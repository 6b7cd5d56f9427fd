package dev.gunicornjvm.common.posix;

/** How a child process ended, decoded from a waitpid status word. */
public record ExitStatus(int code, int signal) {
    static ExitStatus decode(int status) {
        int termSignal = status & 0x7f;
        if (termSignal == 0) {
            return new ExitStatus((status >> 8) & 0xff, 0);
        }
        return new ExitStatus(-1, termSignal);
    }

    public boolean killedBySignal() {
        return signal != 0;
    }

    @Override
    public String toString() {
        return killedBySignal() ? "killed by signal " + signal : "exit code " + code;
    }
}
