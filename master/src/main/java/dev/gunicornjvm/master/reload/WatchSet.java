package dev.gunicornjvm.master.reload;

import dev.gunicornjvm.master.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What --reload watches for a generation's settings: single files (jars, a WAR, the config file), whose
 * content is compared, and trees (class directories, a webapp directory), in which any change counts.
 *
 * @param files absolute; a file may not exist yet (it is seen when it appears)
 * @param trees absolute directories, watched with everything under them
 */
record WatchSet(List<Path> files, List<Path> trees) {
    static final WatchSet NONE = new WatchSet(List.of(), List.of());

    WatchSet {
        files = List.copyOf(files);
        trees = List.copyOf(trees);
    }

    static WatchSet of(Settings settings) {
        if (settings.reload() == null || !settings.reload().enabled()) {
            return NONE;
        }
        List<Path> paths = new ArrayList<>(settings.app().files());
        if (settings.configFile() != null) {
            paths.add(settings.configFile());
        }
        paths.addAll(settings.reload().extraFiles());
        Set<Path> files = new LinkedHashSet<>();
        Set<Path> trees = new LinkedHashSet<>();
        for (Path p : paths) {
            Path path = p.toAbsolutePath().normalize();
            (Files.isDirectory(path) ? trees : files).add(path);
        }
        return new WatchSet(new ArrayList<>(files), new ArrayList<>(trees));
    }

    boolean isEmpty() {
        return files.isEmpty() && trees.isEmpty();
    }

    /** The tree a path is in, or null. */
    Path treeOf(Path path) {
        for (Path tree : trees) {
            if (path.startsWith(tree)) {
                return tree;
            }
        }
        return null;
    }
}
