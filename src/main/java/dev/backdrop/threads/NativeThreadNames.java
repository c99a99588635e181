package dev.backdrop.threads;

/**
 * Names for the native threads a library starts (x264's workers, TensorFlow's pool): on Linux a new
 * thread takes the name of the thread that started it, so the starting thread carries the wanted
 * name for the call. The names tell the threads apart in top -H and in `backdrop bench`'s CPU table
 * (otherwise they are all "java" or "main").
 */
public final class NativeThreadNames {

    /** What a library call returns; it may throw the library's checked exception. */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        T run() throws E;
    }

    private NativeThreadNames() {
    }

    /** Runs call with the current thread named name, then gives the thread its own name back. */
    public static <T, E extends Exception> T startingAs(String name, Call<T, E> call) throws E {
        Thread current = Thread.currentThread();
        String own = current.getName();
        try {
            current.setName(name);
            return call.run();
        } finally {
            current.setName(own);
        }
    }
}
