package io.meshgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One kind of log line, written at most once per {@link #WINDOW}: the first line of a window is written, with the
 * number of lines suppressed in the windows before it; the others are only counted.
 */
final class RateLimitedLog {

    static final Duration WINDOW = Duration.ofSeconds(10);

    private final Logger logger;
    private final LongSupplier nanoTime;
    /** When the current window opened, or {@code Long.MIN_VALUE} before the first line. */
    private final AtomicLong windowStart = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger logger, LongSupplier nanoTime) {
        this.logger = logger;
        this.nanoTime = nanoTime;
    }

    /** Writes the line if the window lets it through; it is built only then. */
    void log(Level level, Supplier<String> line) {
        long now = nanoTime.getAsLong();
        long start = windowStart.get();
        boolean open = start == Long.MIN_VALUE || now - start >= WINDOW.toNanos();
        if (!open || !windowStart.compareAndSet(start, now)) {
            suppressed.incrementAndGet();
            return;
        }
        long before = suppressed.getAndSet(0);
        String text = before == 0 ? line.get() : line.get() + " [" + before + " similar suppressed]";
        if (level.isGreaterOrEqual(Level.ERROR)) {
            logger.error(text);
        } else {
            logger.warn(text);
        }
    }
}
