package io.meshgate.translator.diag;

/**
 * The catalog of diagnostic codes. Codes {@code GW01xx} mirror Istio's {@code IST01xx} analyzer messages of the same
 * number; {@code GW02xx} are this gateway's own.
 */
public enum Code {
    INTERNAL_ERROR("GW0001", Level.ERROR),
    DEPRECATED("GW0002", Level.WARNING),
    REFERENCED_RESOURCE_NOT_FOUND("GW0101", Level.ERROR),
    SCHEMA_VALIDATION_ERROR("GW0106", Level.ERROR),
    DESTINATION_PORT_SELECTOR_REQUIRED("GW0112", Level.ERROR),
    INVALID_REGEXP("GW0122", Level.ERROR),
    UNREACHABLE_RULE("GW0130", Level.WARNING),
    INEFFECTIVE_MATCH("GW0131", Level.INFO),
    HOST_NOT_FOUND_IN_GATEWAY("GW0132", Level.WARNING),
    CONFLICTING_GATEWAYS("GW0145", Level.ERROR),
    YAML_SYNTAX_ERROR("GW0201", Level.ERROR),
    UNKNOWN_KIND("GW0202", Level.WARNING),
    KIND_NOT_APPLIED("GW0203", Level.WARNING),
    UNKNOWN_FIELD("GW0204", Level.ERROR),
    NON_ISTIO_FIELD("GW0205", Level.WARNING),
    DUPLICATE_RESOURCE("GW0206", Level.ERROR),
    INVALID_WEIGHTS("GW0207", Level.ERROR),
    SUSPICIOUS_WEIGHTS("GW0208", Level.WARNING),
    NOT_BOUND_TO_GATEWAY("GW0209", Level.WARNING),
    HOST_NOT_FOUND("GW0210", Level.WARNING),
    INEFFECTIVE_FIELD("GW0211", Level.WARNING),
    GATEWAY_SERVER_WITHOUT_ROUTES("GW0212", Level.INFO),
    DUPLICATE_SUBSET("GW0213", Level.WARNING),
    MERGED_VIRTUAL_SERVICES("GW0214", Level.INFO),
    GATEWAY_NOT_SELECTED("GW0215", Level.INFO),
    UNSUPPORTED_FIELD("GW0216", Level.ERROR),
    NOT_EXPORTED_TO_GATEWAY("GW0217", Level.WARNING),
    /** A changed resource has errors, so its change is not applied and its last good version keeps serving. */
    CHANGE_REJECTED("GW0218", Level.WARNING);

    private final String id;
    private final Level level;

    Code(String id, Level level) {
        this.id = id;
        this.level = level;
    }

    /** The stable identifier, such as {@code GW0101}. */
    public String id() {
        return id;
    }

    /** The level a diagnostic of this code has unless it says otherwise. */
    public Level level() {
        return level;
    }
}
