package dev.backdrop.threads;

/**
 * Start-up work begun early on a daemon thread of its own (a native library loading, a driver
 * starting) that a later caller waits for before doing the real thing itself.
 */
public final class Preload {

    private final Thread thread;

    private Preload(Thread thread) {
        this.thread = thread;
    }

    /** Starts work on a daemon thread called name. */
    public static Preload start(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return new Preload(thread);
    }

    /**
     * Waits until the work has ended; returns at once on the preload's own thread (the work may call
     * what waits for it). Keeps waiting through interrupts, and restores the interrupt afterwards.
     */
    public void await() {
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
