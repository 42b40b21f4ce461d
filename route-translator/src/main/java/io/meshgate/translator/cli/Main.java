package io.meshgate.translator.cli;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.dump.SnapshotYaml;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.load.ResourceSet;
import io.meshgate.translator.match.SimpleRequest;
import io.meshgate.translator.translate.TranslationResult;
import io.meshgate.translator.translate.Translator;
import io.meshgate.translator.translate.TranslatorOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code route-translator validate|dump|explain PATH...}. Exit codes: 0 no errors, 1 the configuration has errors,
 * 2 the command could not run.
 */
public final class Main {

    static final int OK = 0;
    static final int CONFIG_ERRORS = 1;
    static final int CANNOT_RUN = 2;

    private static final String USAGE = """
            usage: java -jar route-translator.jar COMMAND PATH... [OPTIONS]
              validate PATH...   print diagnostics like istioctl analyze; exit 1 when there are errors
              dump PATH...       print the routing IR as YAML
              explain PATH... --request 'GET http://api.mystore.com/orders' [-H 'name: value']... [--mesh]
                                 show which listener, server, rule and destinations serve a request, or why none
            PATH is a YAML file or a directory (read recursively).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? CANNOT_RUN : OK;
        }
        try {
            Arguments parsed = Arguments.parse(args);
            if (parsed.paths().isEmpty()) {
                err.println("error: no PATH given");
                err.print(USAGE);
                return CANNOT_RUN;
            }
            ResourceSet resources = ResourceLoader.load(parsed.paths());
            TranslationResult result = Translator.translate(resources, TranslatorOptions.DEFAULTS);
            return switch (parsed.command()) {
                case "validate" -> validate(result, out);
                case "dump" -> dump(result, out, err);
                case "explain" -> new Explainer(result, out).explain(parsed.request(), parsed.mesh());
                default -> throw new IllegalArgumentException("unknown command \"" + parsed.command() + "\"");
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return CANNOT_RUN;
        } catch (RuntimeException e) {
            err.println("error: " + e);
            return CANNOT_RUN;
        }
    }

    private static int validate(TranslationResult result, PrintStream out) {
        result.diagnostics().forEach(d -> out.println(d.format()));
        long errors = count(result.diagnostics(), Level.ERROR);
        long warnings = count(result.diagnostics(), Level.WARNING);
        long infos = count(result.diagnostics(), Level.INFO);
        if (result.diagnostics().isEmpty()) {
            out.println("\u2714 No validation issues found.");
        } else {
            out.println(errors + " error(s), " + warnings + " warning(s), " + infos + " info");
        }
        return errors > 0 ? CONFIG_ERRORS : OK;
    }

    private static int dump(TranslationResult result, PrintStream out, PrintStream err) {
        out.print(SnapshotYaml.write(result.snapshot()));
        long errors = count(result.diagnostics(), Level.ERROR);
        if (!result.diagnostics().isEmpty()) {
            err.println(result.diagnostics().size() + " diagnostic(s), " + errors
                    + " error(s): run validate to see them");
        }
        return errors > 0 ? CONFIG_ERRORS : OK;
    }

    private static long count(List<Diagnostic> diagnostics, Level level) {
        return diagnostics.stream().filter(d -> d.level() == level).count();
    }

    /** The parsed command line. */
    record Arguments(String command, List<Path> paths, SimpleRequest request, boolean mesh) {

        static Arguments parse(String[] args) {
            String command = args[0];
            List<Path> paths = new ArrayList<>();
            Map<String, String> headers = new LinkedHashMap<>();
            String request = null;
            boolean mesh = false;
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--request", "-r" -> request = value(args, ++i, "--request");
                    case "-H", "--header" -> header(value(args, ++i, "-H"), headers);
                    case "--mesh" -> mesh = true;
                    default -> {
                        if (args[i].startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        paths.add(Path.of(args[i]));
                    }
                }
            }
            if (command.equals("explain") && request == null) {
                throw new IllegalArgumentException("explain needs --request 'METHOD URL'");
            }
            SimpleRequest parsed = request == null ? SimpleRequest.parse("GET http://localhost/")
                    : SimpleRequest.parse(request, headers);
            return new Arguments(command, paths, parsed, mesh);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static void header(String header, Map<String, String> headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header \"" + header + "\" is not of the form 'name: value'");
            }
            headers.merge(header.substring(0, colon).strip(), header.substring(colon + 1).strip(),
                    (a, b) -> a + "," + b);
        }
    }
}
