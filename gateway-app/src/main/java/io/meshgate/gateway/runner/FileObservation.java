package io.meshgate.gateway.runner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One file as a poll saw it: its stat and a checksum of its content. The checksum is taken when the stat changed
 * or the file changed recently, and carried over otherwise; two observations are equal when the file is the same.
 *
 * @param checksum CRC-32C of the content, or {@link #UNREADABLE}
 */
record FileObservation(FileStat stat, long checksum) {

    static final long UNREADABLE = -1;
    private static final int CHUNK = 64 * 1024;

    /** Reads the file in chunks, so that checksumming a large file holds 64 KiB, not the file. */
    static FileObservation read(Path file, FileStat stat) {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer.clear()) >= 0) {
                crc.update(buffer.flip());
            }
            return new FileObservation(stat, crc.getValue());
        } catch (IOException e) {
            return new FileObservation(stat, UNREADABLE);
        }
    }
}
