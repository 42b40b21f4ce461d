package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/** What the report says the figures were measured on: machine, OS, JVM, tools and the commit. */
final class Machine {

    private Machine() {
    }

    static Map<String, String> describe(Path root) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("CPUs", cpuCount() + " × " + cpuModel());
        rows.put("memory", memory());
        rows.put("OS", osName() + ", Linux " + System.getProperty("os.version"));
        rows.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.vendor") + ")");
        rows.put("commit", commit(root));
        rows.put("wrk", firstLine(Tool.output(List.of("wrk", "-v"))).replaceAll(" Copyright.*", ""));
        rows.put("h2load", firstLine(Tool.output(List.of("h2load", "--version"))));
        rows.put("nginx", version(Tool.output(List.of(Tool.find("nginx").map(Path::toString).orElse("nginx"),
                "-v"))));
        rows.put("HAProxy", version(Tool.output(List.of(Tool.find("haproxy").map(Path::toString).orElse("haproxy"),
                "-v"))));
        rows.put("plain Spring Cloud Gateway", scgVersion(root));
        return rows;
    }

    /** The machine's CPUs (the harness may already be pinned to fewer). */
    static int cpuCount() {
        long count = lines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        return count > 0 ? (int) count : Runtime.getRuntime().availableProcessors();
    }

    private static String cpuModel() {
        return lines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static String memory() {
        return lines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> String.format(Locale.ROOT, "%.0f GiB",
                        Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                .findFirst().orElse("unknown");
    }

    private static String osName() {
        return lines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring(12).replace("\"", "")).findFirst().orElse(System.getProperty("os.name"));
    }

    private static String commit(Path root) {
        String head = Tool.output(List.of("git", "-C", root.toString(), "rev-parse", "--short", "HEAD"));
        if (head.isEmpty() || head.contains(" ")) {
            return "unknown";
        }
        String status = Tool.output(List.of("git", "-C", root.toString(), "status", "--porcelain", "--",
                "gateway-app", "route-translator", "load-tests/plain-scg", "load-tests/harness", "pom.xml"));
        return "`" + head + "`" + (status.isEmpty() ? "" : " with uncommitted changes");
    }

    private static String version(String output) {
        Matcher m = Pattern.compile("(?:nginx/|version )([0-9][^ ]*)").matcher(output);
        return m.find() ? m.group(1) : "not installed";
    }

    private static String scgVersion(Path root) {
        Path jar = root.resolve("load-tests/plain-scg/target/plain-scg.jar");
        if (!Files.exists(jar)) {
            return "not built";
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Optional<String> gateway = zip.stream().map(e -> e.getName())
                    .filter(n -> n.matches("BOOT-INF/lib/spring-cloud-gateway-server-webflux-[0-9].*\\.jar"))
                    .findFirst();
            Optional<String> boot = zip.stream().map(e -> e.getName())
                    .filter(n -> n.matches("BOOT-INF/lib/spring-boot-[0-9].*\\.jar")).findFirst();
            return gateway.map(n -> n.replaceAll(".*-webflux-(.*)\\.jar", "$1")).orElse("?") + " (Spring Boot "
                    + boot.map(n -> n.replaceAll(".*spring-boot-(.*)\\.jar", "$1")).orElse("?") + ")";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return text.isEmpty() ? "not installed" : newline < 0 ? text : text.substring(0, newline);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
