package io.meshgate.translator.dump;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.Snapshot;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes IR records as YAML: keys in record component order, maps sorted, empty optionals and lists and
 * {@code false} flags left out, a variant of a sealed interface as a one-key map named after it
 * ({@code exact: /orders}, {@code forward: {...}}).
 */
public final class SnapshotYaml {

    /** Flags whose {@code false} is not the default and so is worth showing. */
    private static final Set<String> SHOWN_WHEN_FALSE = Set.of("retryIgnorePreviousHosts");

    private SnapshotYaml() {
    }

    public static String write(Snapshot snapshot) {
        return yaml().dump(toTree(snapshot));
    }

    /**
     * The snapshot and diagnostics of a golden file: diagnostics as {@code <code> <level> <resource> <field>
     * (<file:line>)}, without their message, which tests never assert.
     */
    public static String writeWithDiagnostics(Snapshot snapshot, List<Diagnostic> diagnostics) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("snapshot", toTree(snapshot));
        List<String> lines = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            String line = d.code().id() + " " + d.level().label() + " " + d.resource().display()
                    + (d.fieldPath().isEmpty() ? "" : " " + d.fieldPath())
                    + d.location().map(l -> " (" + l + ")").orElse("");
            lines.add(line);
        }
        root.put("diagnostics", lines);
        return yaml().dump(root);
    }

    /** Any IR value on one line, in YAML flow style: {@code {simple: LEAST_REQUEST}}. */
    public static String inline(Object value) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        return new Yaml(options).dump(toTree(value)).strip();
    }

    /** The YAML tree of any IR value. */
    public static Object toTree(Object value) {
        Object tree = convert(value);
        return tree == null ? Map.of() : tree;
    }

    private static Object convert(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.map(SnapshotYaml::convert).orElse(null);
        }
        if (value instanceof Duration duration) {
            return IstioDuration.format(duration);
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(convert(item)));
            return out.isEmpty() ? null : out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), convert(v)));
            return out.isEmpty() ? null : out;
        }
        if (value instanceof Record record) {
            return convertRecord(record);
        }
        return value;
    }

    private static Object convertRecord(Record record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent component : components) {
            Object child = convert(read(component, record));
            boolean hidden = child == null || (Boolean.FALSE.equals(child)
                    && !SHOWN_WHEN_FALSE.contains(component.getName()));
            if (!hidden) {
                fields.put(component.getName(), child);
            }
        }
        if (!isSealedVariant(record)) {
            return fields.isEmpty() ? null : fields;
        }
        String variant = Character.toLowerCase(record.getClass().getSimpleName().charAt(0))
                + record.getClass().getSimpleName().substring(1);
        Object body = components.length == 1 ? fields.get(components[0].getName()) : fields;
        return Map.of(variant, components.length == 0 ? Boolean.TRUE : body == null ? Map.of() : body);
    }

    private static boolean isSealedVariant(Record record) {
        for (Class<?> type : record.getClass().getInterfaces()) {
            if (type.isSealed()) {
                return true;
            }
        }
        return false;
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setWidth(120);
        options.setSplitLines(false);
        return new Yaml(options);
    }
}
