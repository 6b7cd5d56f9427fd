package dev.gunicornjvm.master.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What tells one version of a file from the next without reading it: its inode (a file renamed over it,
 * or a Kubernetes ConfigMap's symlink swap, is another file), modification time and size (a file
 * rewritten in place). Links are followed. {@link #MISSING} for a file that is not there.
 */
record FileStamp(Object key, long modifiedNanos, long size) {
    static final FileStamp MISSING = new FileStamp(null, 0, -1);

    static FileStamp of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(a.fileKey(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size());
        } catch (IOException e) {
            return MISSING;
        }
    }
}
