package io.meshgate.translator.kubernetes;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces bursts of change notifications into few runs of one action: a run starts once no notification came for
 * the quiet period, or at the latest the maximum delay after the first notification of a burst, so that a steady
 * stream of changes still gets applied. Notifications that arrive while the action runs cause one more run after
 * it. Runs happen one at a time on the debouncer's own thread.
 */
final class Debouncer implements AutoCloseable {

    private final Runnable action;
    private final long quietNanos;
    private final long maxDelayNanos;
    private final ScheduledExecutorService executor;

    private long firstPending;
    private long lastPending;
    private boolean scheduled;

    Debouncer(String name, Duration quiet, Duration maxDelay, Runnable action) {
        this.action = action;
        this.quietNanos = quiet.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Something changed: the action will run. */
    synchronized void changed() {
        long now = System.nanoTime();
        if (firstPending == 0) {
            firstPending = now;
        }
        lastPending = now;
        if (!scheduled) {
            scheduled = true;
            executor.schedule(this::tick, quietNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long quietLeft = lastPending + quietNanos - now;
            long deadlineLeft = firstPending + maxDelayNanos - now;
            wait = Math.min(quietLeft, deadlineLeft);
            if (wait <= 0) {
                firstPending = 0;
                scheduled = false;
            }
        }
        if (wait > 0) {
            executor.schedule(this::tick, wait, TimeUnit.NANOSECONDS);
            return;
        }
        action.run();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
