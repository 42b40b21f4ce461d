package io.meshgate.translator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.SourceLocation;
import io.meshgate.translator.ir.SourceRef;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the documents of one YAML text into loaded resources and diagnostics. */
final class DocumentReader {

    /** What one text gave. */
    record Output(List<Loaded<?>> resources, List<Diagnostic> diagnostics) {
    }

    private static final String DEFAULT_NAMESPACE = "default";

    private final String file;
    private final List<Loaded<?>> resources = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private DocumentReader(String file) {
        this.file = file;
    }

    static Output read(String file, String text) {
        DocumentReader reader = new DocumentReader(file);
        for (YamlDocuments.Document document : YamlDocuments.split(text)) {
            reader.readDocument(document);
        }
        return new Output(reader.resources, reader.diagnostics);
    }

    private void readDocument(YamlDocuments.Document document) {
        try {
            for (Node node : newYaml().composeAll(new StringReader(document.text()))) {
                if (node != null) {
                    YamlTree.Converted tree = YamlTree.convert(node, document.firstLine());
                    readResource(tree);
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = markOf(e, document.text());
            int line = document.firstLine() + (mark == null ? 0 : mark.getLine());
            syntaxError(describe(e), line);
        } catch (YAMLException e) {
            syntaxError(String.valueOf(e.getMessage()), document.firstLine());
        } catch (YamlTree.DuplicateKeyException e) {
            syntaxError(e.getMessage(), e.line());
        } catch (StackOverflowError e) {
            syntaxError("nested too deeply", document.firstLine());
        }
    }

    private void readResource(YamlTree.Converted tree) {
        SourcePositions positions = new SourcePositions(file, tree.lines());
        int line = positions.lineOf("").orElse(1);
        if (!(tree.json() instanceof ObjectNode json)) {
            syntaxError("a resource must be a mapping with apiVersion, kind, metadata and spec", line);
            return;
        }
        String apiVersion = text(json, "apiVersion");
        String kind = text(json, "kind");
        SourceRef ref = SourceRef.of(kind.isEmpty() ? "Unknown" : kind, namespaceOf(json), nameOf(json));
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            report(Code.SCHEMA_VALIDATION_ERROR, ref, apiVersion.isEmpty() ? "apiVersion" : "kind",
                    "missing (expected: every resource has apiVersion and kind)", positions);
            return;
        }
        Optional<ResourceKind> resourceKind = ResourceKind.of(apiVersion, kind);
        if (resourceKind.isEmpty()) {
            reportUnread(apiVersion, kind, ref, positions);
            return;
        }
        if (ref.name().isEmpty()) {
            report(Code.SCHEMA_VALIDATION_ERROR, ref, "metadata.name", "missing (expected: a name)", positions);
            return;
        }
        bind(resourceKind.get(), json, ref, positions);
    }

    private void bind(ResourceKind kind, ObjectNode json, SourceRef ref, SourcePositions positions) {
        List<String> nullItems = NullValues.strip(json, "");
        for (String item : nullItems) {
            report(Code.SCHEMA_VALIDATION_ERROR, ref, item, "null (expected: a value)", positions);
        }
        if (!nullItems.isEmpty()) {
            return;
        }
        SeedFieldReader seed = new SeedFieldReader(ref, positions);
        SeedFields seedFields = kind == ResourceKind.DESTINATION_RULE ? seed.extract(json) : SeedFields.NONE;
        diagnostics.addAll(seed.diagnostics());
        RingHashFields ringHash = new RingHashFields(ref, positions);
        if (kind == ResourceKind.DESTINATION_RULE) {
            ringHash.rewrite(json);
            diagnostics.addAll(ringHash.diagnostics());
        }
        ModelBinder.Result<? extends HasMetadata> result = ModelBinder.bind(json, kind.modelClass(), "");
        for (ModelBinder.Problem problem : result.problems()) {
            report(problem.unknownField() ? Code.UNKNOWN_FIELD : Code.SCHEMA_VALIDATION_ERROR, ref,
                    problem.fieldPath(), problem.message(), positions);
        }
        if (result.value() == null || seed.rejected() || ringHash.rejected()) {
            return;
        }
        HasMetadata resource = result.value();
        resource.getMetadata().setNamespace(ref.namespace());
        resources.add(new Loaded<>(kind, resource, ref, positions, seedFields));
    }

    private void reportUnread(String apiVersion, String kind, SourceRef ref, SourcePositions positions) {
        if (ResourceKind.isRecognisedButNotApplied(apiVersion, kind)) {
            report(Code.KIND_NOT_APPLIED, ref, "",
                    apiVersion + " " + kind + " is not applied by this version of the gateway; skipped", positions);
            return;
        }
        String accepted = ResourceKind.acceptedVersions(apiVersion, kind);
        String message = accepted.isEmpty()
                ? "unknown kind " + apiVersion + " " + kind + "; skipped"
                : "unsupported apiVersion " + apiVersion + " (expected: one of " + accepted + "); skipped";
        report(Code.UNKNOWN_KIND, ref, "", message, positions);
    }

    private void report(Code code, SourceRef ref, String fieldPath, String message, SourcePositions positions) {
        Optional<SourceLocation> where = positions.lineOf(fieldPath).map(line -> new SourceLocation(file, line));
        diagnostics.add(Diagnostic.of(code, ref, fieldPath, message).withLocation(where));
    }

    private void syntaxError(String message, int line) {
        diagnostics.add(Diagnostic.of(Code.YAML_SYNTAX_ERROR, SourceRef.of("File", "", file), "", message)
                .withLocation(Optional.of(new SourceLocation(file, line))));
    }

    /**
     * Where the problem is; when SnakeYAML only notices it at the end of the document (an unclosed bracket), the
     * start of the construct it was reading, so that the line is inside the document and not on the next one.
     */
    private static Mark markOf(MarkedYAMLException e, String text) {
        Mark problem = e.getProblemMark();
        if (problem == null || (e.getContextMark() != null && problem.getLine() > lastContentLine(text))) {
            return e.getContextMark();
        }
        return problem;
    }

    private static int lastContentLine(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank() && !lines[i].strip().startsWith("#")) {
                return i;
            }
        }
        return 0;
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() != null ? e.getProblem() : "";
        String context = e.getContext() != null ? e.getContext() + ": " : "";
        return (context + problem).strip();
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(100);
        options.setCodePointLimit(8 * 1024 * 1024);
        return new Yaml(new SafeConstructor(options));
    }

    private static String namespaceOf(ObjectNode json) {
        String namespace = text(json.path("metadata"), "namespace");
        return namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    }

    private static String nameOf(ObjectNode json) {
        return text(json.path("metadata"), "name");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : "";
    }
}
