package io.meshgate.translator.dump;

import java.time.Duration;

/** Writes durations the way Istio resources do: {@code 5s}, {@code 100ms}, {@code 1m30s}. */
public final class IstioDuration {

    private IstioDuration() {
    }

    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        long nanos = duration.toNanos();
        if (nanos % 1_000_000_000L != 0) {
            return nanos % 1_000_000L == 0 ? nanos / 1_000_000L + "ms" : nanos + "ns";
        }
        long seconds = duration.getSeconds();
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            out.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        return out.toString();
    }
}
