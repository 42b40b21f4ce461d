package io.meshgate.gateway.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one stat call tells of a file, following symbolic links (a ConfigMap mount's files are links into
 * {@code ..data}): its size, modification time, change time (where the file system has one; it moves on any write
 * and cannot be set back, as {@code cp -p} or {@code touch -d} set the modification time) and identity (device and
 * inode), which a file replaced by a rename changes.
 */
record FileStat(long size, Instant modified, Instant changed, Object identity) {

    private static final String UNIX = "unix:size,lastModifiedTime,ctime,dev,ino";
    private static volatile boolean unixView = true;

    FileStat {
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(changed, "changed");
        identity = identity == null ? "" : identity;
    }

    /** The stat of a file, or empty when it is gone (removed between listing and stat). */
    static Optional<FileStat> of(Path file) throws IOException {
        try {
            if (unixView) {
                try {
                    Map<String, Object> unix = Files.readAttributes(file, UNIX);
                    return Optional.of(new FileStat((Long) unix.get("size"),
                            ((FileTime) unix.get("lastModifiedTime")).toInstant(),
                            ((FileTime) unix.get("ctime")).toInstant(), unix.get("dev") + ":" + unix.get("ino")));
                } catch (UnsupportedOperationException | IllegalArgumentException e) {
                    unixView = false;
                }
            }
            BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
            Instant modified = basic.lastModifiedTime().toInstant();
            return Optional.of(new FileStat(basic.size(), modified, modified, basic.fileKey()));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the file may still be changing without its stat showing it: modified within {@code window} of
     * {@code now}, or in the future (a clock ahead of ours).
     */
    boolean recent(Instant now, Duration window) {
        Instant last = modified.isAfter(changed) ? modified : changed;
        return last.isAfter(now.minus(window));
    }
}
