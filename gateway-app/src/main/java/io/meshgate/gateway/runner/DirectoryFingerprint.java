package io.meshgate.gateway.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * What the config files are now: their paths and a checksum of their content. Content, not modification times,
 * so that two edits within one clock tick are both seen.
 */
record DirectoryFingerprint(List<String> entries) {
    static final DirectoryFingerprint NONE = new DirectoryFingerprint(List.of("<none>"));

    DirectoryFingerprint {
        entries = List.copyOf(entries);
    }

    static DirectoryFingerprint of(List<Path> files) {
        List<String> entries = new ArrayList<>(files.size());
        for (Path file : files) {
            CRC32 crc = new CRC32();
            try {
                crc.update(Files.readAllBytes(file));
                entries.add(file + "=" + crc.getValue());
            } catch (IOException e) {
                entries.add(file + "=unreadable");
            }
        }
        return new DirectoryFingerprint(entries);
    }
}
