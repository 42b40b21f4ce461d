package io.meshgate.translator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Drops fields written with no value ({@code match:} or {@code key: ~}), as Kubernetes treats them as absent, and
 * finds list items with no value, which no Istio list accepts. The model would otherwise hold nulls where it promises
 * empty lists.
 */
final class NullValues {

    private NullValues() {
    }

    /** Removes null fields in place and returns the paths of null list items. */
    static List<String> strip(JsonNode node, String path) {
        List<String> nullItems = new ArrayList<>();
        strip(node, path, nullItems);
        return nullItems;
    }

    private static void strip(JsonNode node, String path, List<String> nullItems) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isNull()) {
                    it.remove();
                } else {
                    strip(field.getValue(), ModelBinder.join(path, field.getKey()), nullItems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNull()) {
                    nullItems.add(path + "[" + i + "]");
                } else {
                    strip(array.get(i), path + "[" + i + "]", nullItems);
                }
            }
        }
    }
}
