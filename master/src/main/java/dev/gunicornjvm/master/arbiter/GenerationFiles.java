package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.Listener;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/** The files a generation's workers start from: the staged app and the argfile, made, remade and removed. */
interface GenerationFiles {
    /**
     * Stages the app and writes the argfile of a new generation.
     *
     * @throws IOException with a reason fit for one log line (a corrupt WAR, a full disk)
     */
    Generation create(int number, Settings settings, List<Listener> listeners) throws IOException;

    /** Makes the generation's files again if something removed them (a tmp cleaner); a no-op when they are there. */
    void ensure(Generation generation) throws IOException;

    /** Removes the files of every generation not in use. */
    void retainOnly(Set<Integer> inUse);
}
