package io.meshgate.translator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns a SnakeYAML node tree into a Jackson tree, recording the line of every field on the way. Scalars keep the
 * type YAML resolved for them, so that {@code weight: "90"} stays a string and can be reported as one.
 */
final class YamlTree {

    /** The converted tree, with the line of every field path. */
    record Converted(JsonNode json, Map<String, Integer> lines) {
    }

    /** A mapping repeats a key; YAML forbids it, Kubernetes rejects it. */
    static final class DuplicateKeyException extends RuntimeException {
        private final int line;

        DuplicateKeyException(String message, int line) {
            super(message);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, Integer> lines = new HashMap<>();
    private final int lineOffset;

    private YamlTree(int lineOffset) {
        this.lineOffset = lineOffset;
    }

    /**
     * Converts {@code root}; {@code lineOffset} is added to SnakeYAML's 0-based lines to give 1-based file lines.
     */
    static Converted convert(Node root, int lineOffset) {
        YamlTree tree = new YamlTree(lineOffset);
        JsonNode json = tree.toJson(root, "");
        return new Converted(json, tree.lines);
    }

    private JsonNode toJson(Node node, String path) {
        lines.putIfAbsent(path, node.getStartMark().getLine() + lineOffset);
        if (node instanceof MappingNode mapping) {
            return toObject(mapping, path);
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            int index = 0;
            for (Node item : sequence.getValue()) {
                array.add(toJson(item, path + "[" + index++ + "]"));
            }
            return array;
        }
        return toScalar((ScalarNode) node);
    }

    private ObjectNode toObject(MappingNode mapping, String path) {
        ObjectNode object = NODES.objectNode();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyNode instanceof ScalarNode scalar ? scalar.getValue() : keyNode.toString();
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (object.has(key)) {
                throw new DuplicateKeyException("duplicate key \"" + key + "\"",
                        keyNode.getStartMark().getLine() + lineOffset);
            }
            lines.put(childPath, keyNode.getStartMark().getLine() + lineOffset);
            object.set(key, toJson(tuple.getValueNode(), childPath));
        }
        return object;
    }

    private static JsonNode toScalar(ScalarNode scalar) {
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return NODES.booleanNode(isTrue(text));
        }
        if (Tag.INT.equals(tag)) {
            return integer(text);
        }
        if (Tag.FLOAT.equals(tag)) {
            return decimal(text);
        }
        return NODES.textNode(text);
    }

    private static boolean isTrue(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("true") || lower.equals("yes") || lower.equals("on") || lower.equals("y");
    }

    private static JsonNode integer(String text) {
        String clean = text.replace("_", "");
        try {
            BigInteger value;
            if (clean.startsWith("0x") || clean.startsWith("-0x")) {
                value = new BigInteger(clean.replace("0x", ""), 16);
            } else if (clean.length() > 1 && clean.startsWith("0") && clean.chars().allMatch(Character::isDigit)) {
                value = new BigInteger(clean, 8);
            } else {
                value = new BigInteger(clean.startsWith("+") ? clean.substring(1) : clean);
            }
            if (value.bitLength() < 32) {
                return NODES.numberNode(value.intValue());
            }
            return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
        } catch (NumberFormatException notANumber) {
            return NODES.textNode(text);
        }
    }

    private static JsonNode decimal(String text) {
        String clean = text.replace("_", "");
        try {
            return NODES.numberNode(new BigDecimal(clean).doubleValue());
        } catch (NumberFormatException special) {
            // .inf, .nan and friends are no valid value for any Istio field: keep the text so it is reported
            return NODES.textNode(text);
        }
    }
}
