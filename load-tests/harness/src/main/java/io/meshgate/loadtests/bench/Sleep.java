package io.meshgate.loadtests.bench;

/** Sleeps that keep the thread's interrupt flag instead of throwing. */
public final class Sleep {

    private Sleep() {
    }

    public static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
