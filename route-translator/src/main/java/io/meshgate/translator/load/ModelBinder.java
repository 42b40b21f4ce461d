package io.meshgate.translator.load;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Binds a JSON tree to a fabric8 model class and reports every field the model does not have or that has the wrong
 * type. fabric8 classes keep unknown fields in {@code additionalProperties} and Jackson coerces {@code "90"} to 90,
 * so both are found by writing the bound object back without those extras and comparing it with the input.
 */
final class ModelBinder {

    /** One field the model did not take as written. */
    record Problem(String fieldPath, String message, boolean unknownField) {
    }

    /** The bound object, or null with the problems that prevented binding. */
    record Result<T>(T value, List<Problem> problems) {
    }

    private static final ObjectMapper READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper WRITER = new ObjectMapper()
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnyGetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            });

    private ModelBinder() {
    }

    static <T> Result<T> bind(JsonNode input, Class<T> type, String basePath) {
        T value;
        try {
            value = READER.treeToValue(input, type);
        } catch (JsonMappingException e) {
            return new Result<>(null, List.of(new Problem(join(basePath, pathOf(e)), firstLine(e), false)));
        } catch (IOException | IllegalArgumentException e) {
            return new Result<>(null, List.of(new Problem(basePath, firstLine(e), false)));
        }
        List<Problem> problems = new ArrayList<>();
        compare(input, WRITER.valueToTree(value), basePath, problems);
        return new Result<>(problems.isEmpty() ? value : null, List.copyOf(problems));
    }

    private static void compare(JsonNode in, JsonNode out, String path, List<Problem> problems) {
        if (in.isObject() && out.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode written = out.get(field.getKey());
                String fieldPath = join(path, field.getKey());
                if (written == null) {
                    if (!isEmpty(field.getValue())) {
                        problems.add(new Problem(fieldPath, "unknown field \"" + field.getKey() + "\"", true));
                    }
                } else {
                    compare(field.getValue(), written, fieldPath, problems);
                }
            }
        } else if (in.isArray() && out.isArray()) {
            for (int i = 0; i < in.size() && i < out.size(); i++) {
                compare(in.get(i), out.get(i), path + "[" + i + "]", problems);
            }
        } else if (!sameScalar(in, out)) {
            problems.add(new Problem(path, in + " (expected: " + typeOf(out) + ")", false));
        }
    }

    private static boolean sameScalar(JsonNode in, JsonNode out) {
        if (in.isNumber() && out.isNumber()) {
            return in.decimalValue().compareTo(out.decimalValue()) == 0;
        }
        if (in.isNull() || out.isNull()) {
            return in.isNull() || isEmpty(out);
        }
        return in.getNodeType() == out.getNodeType() && in.equals(out);
    }

    private static boolean isEmpty(JsonNode node) {
        return node.isNull() || (node.isContainerNode() && node.isEmpty());
    }

    private static String typeOf(JsonNode node) {
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return node.isArray() ? "list" : "object";
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null && isUnwrappedOneof(ref)) {
                continue;
            }
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * fabric8 models a protobuf oneof as an unwrapped property named after the Java type ({@code LbPolicy},
     * {@code HashAlgorithm}); it is no field of the YAML, so it is left out of field paths.
     */
    private static boolean isUnwrappedOneof(JsonMappingException.Reference ref) {
        Object from = ref.getFrom();
        Class<?> type = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
        for (Class<?> t = type; t != null && t != Object.class; t = t.getSuperclass()) {
            for (Field field : t.getDeclaredFields()) {
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                if (field.isAnnotationPresent(JsonUnwrapped.class) && property != null
                        && property.value().equals(ref.getFieldName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        // Jackson names its own types; users know fields and values
        return line.replaceAll("`[a-z0-9.]+\\.([A-Za-z0-9$]+)`", "$1").strip();
    }

    static String join(String base, String path) {
        if (base.isEmpty()) {
            return path;
        }
        if (path.isEmpty()) {
            return base;
        }
        return path.startsWith("[") ? base + path : base + "." + path;
    }
}
