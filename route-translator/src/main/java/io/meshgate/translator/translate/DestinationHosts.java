package io.meshgate.translator.translate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The destination hosts of one translation, as VirtualService compilation sees them: each host's {@link HostFacts},
 * worked out once, and a record of the hosts one compilation asked about. Compilation reads services and
 * DestinationRules only through here, so the hosts recorded are all a compiled VirtualService depends on besides
 * itself.
 */
final class DestinationHosts {

    private final ServiceRegistry registry;
    private final DestinationRules rules;
    private final Map<String, HostFacts> earlier;
    private final Map<String, HostFacts> facts = new HashMap<>();
    private @Nullable Map<String, HostFacts> asked;

    /**
     * @param earlier what the previous translation knew of hosts: facts equal to those are taken as the same
     *     object, so that a recording is checked by reference where nothing changed
     */
    DestinationHosts(ServiceRegistry registry, DestinationRules rules, Map<String, HostFacts> earlier) {
        this.registry = registry;
        this.rules = rules;
        this.earlier = earlier;
    }

    /** The FQDN a host written in {@code namespace} stands for (see {@link ServiceRegistry#fqdn}). */
    String fqdn(String host, String namespace) {
        return registry.fqdn(host, namespace);
    }

    /** What is known of a host now; recorded when a compilation is under way. */
    HostFacts of(String fqdn) {
        HostFacts found = current(fqdn);
        if (asked != null) {
            asked.put(fqdn, found);
        }
        return found;
    }

    /** What is known of a host now, without recording it. */
    HostFacts current(String fqdn) {
        HostFacts found = facts.get(fqdn);
        if (found == null) {
            found = HostFacts.of(fqdn, registry, rules);
            HostFacts before = earlier.get(fqdn);
            if (found.equals(before)) {
                found = before;
            }
            facts.put(fqdn, found);
        }
        return found;
    }

    /** Every host asked about in this translation, with what was known of it. */
    Map<String, HostFacts> known() {
        return facts;
    }

    /** Starts recording the hosts asked about, until {@link #stopRecording()}. */
    void startRecording() {
        asked = new LinkedHashMap<>();
    }

    /** The hosts asked about since {@link #startRecording()}, with what was known of them. */
    Map<String, HostFacts> stopRecording() {
        Map<String, HostFacts> recorded = asked == null ? Map.of() : asked;
        asked = null;
        return recorded;
    }

    /** Whether every host of a recording is still as it was recorded. */
    boolean unchanged(Map<String, HostFacts> recorded) {
        for (Map.Entry<String, HostFacts> entry : recorded.entrySet()) {
            HostFacts now = current(entry.getKey());
            if (now != entry.getValue() && !now.equals(entry.getValue())) {
                return false;
            }
        }
        return true;
    }
}
