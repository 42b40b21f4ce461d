package io.meshgate.loadtests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What Linux counts for a process and its children (nginx's workers): CPU time, resident memory, open file
 * descriptors and thread names; and how busy each CPU was between two snapshots of {@code /proc/stat}.
 */
public final class ProcStats {

    /** Clock ticks per second of {@code /proc} CPU times (USER_HZ, 100 on every Linux build in use). */
    public static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** utime + stime of the process and its direct children, in clock ticks; -1 if it is gone. */
    public static long cpuTicks(long pid) {
        long total = 0;
        for (long p : withChildren(pid)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                if (p == pid) {
                    return -1;
                }
            }
        }
        return total;
    }

    /** VmRSS of the process and its direct children, in KiB; -1 if it is gone. */
    public static long rssKib(long pid) {
        long total = 0;
        for (long p : withChildren(pid)) {
            try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(p), "status"))) {
                total += lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
            } catch (IOException | RuntimeException e) {
                if (p == pid) {
                    return -1;
                }
            }
        }
        return total;
    }

    /** Open file descriptors of the process; -1 if it is gone. */
    public static int openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Names of the process's threads (as the kernel keeps them: at most 15 characters). */
    public static List<String> threadNames(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).trim();
                } catch (IOException e) {
                    return "";
                }
            }).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Busy and total ticks of every CPU now. */
    public static Map<String, long[]> cpuSnapshot() {
        Map<String, long[]> cpus = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (!line.matches("^cpu\\d+ .*")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                cpus.put(f[0], new long[] {total - idle, total});
            }
        } catch (IOException e) {
            // no /proc/stat: the report shows no CPU figures
        }
        return cpus;
    }

    /** Percent busy per CPU between two snapshots. */
    public static Map<String, Double> busyPercent(Map<String, long[]> before, Map<String, long[]> after) {
        Map<String, Double> busy = new LinkedHashMap<>();
        after.forEach((cpu, a) -> {
            long[] b = before.get(cpu);
            if (b != null && a[1] > b[1]) {
                busy.put(cpu, 100.0 * (a[0] - b[0]) / (a[1] - b[1]));
            }
        });
        return busy;
    }

    private static List<Long> withChildren(long pid) {
        List<Long> all = new java.util.ArrayList<>();
        all.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.children().forEach(child -> all.add(child.pid())));
        return all;
    }
}
