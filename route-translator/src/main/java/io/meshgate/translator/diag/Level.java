package io.meshgate.translator.diag;

/** How serious a diagnostic is, worst first. */
public enum Level {
    /** The resource, or the element named, is not applied as written. */
    ERROR("Error"),
    /** Applied, but probably not what was meant, or deprecated. */
    WARNING("Warning"),
    /** Applied; worth knowing. */
    INFO("Info");

    private final String label;

    Level(String label) {
        this.label = label;
    }

    /** {@code Error}, {@code Warning} or {@code Info}, as {@code istioctl analyze} prints it. */
    public String label() {
        return label;
    }
}
