package io.meshgate.loadtests.report;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** How figures are printed in the report, and the median they are reported as. */
public final class Numbers {

    private Numbers() {
    }

    /** 16,199 */
    public static String count(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    /** 0.74 ms with two decimals, 12.3 above 10 ms, 1,234 above 1 s */
    public static String millis(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    /** 1.48× */
    public static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, "%.2f×", value);
    }

    public static String decimal(double value, int digits) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    /** The median of the values that are numbers; NaN if none is. */
    public static double median(Collection<Double> values) {
        double[] sorted = values.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue)
                .sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** a / b, NaN unless both are numbers and b is not zero. */
    public static double divide(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
    }

    static String svg(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static double max(double... values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).max().orElse(0);
    }
}
