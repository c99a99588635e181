package dev.backdrop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A named pipe that a writer (FFmpeg, {@code backdrop live}) fills and a thread here empties,
 * counting bytes and noting when the first ones arrived.
 */
final class FifoReader implements AutoCloseable {

    private final Path path;
    private final AtomicLong bytes = new AtomicLong();
    private final Thread reader;
    private volatile boolean closed;

    private FifoReader(Path path) {
        this.path = path;
        this.reader = new Thread(this::drain, "fifo " + path.getFileName());
        reader.setDaemon(true);
    }

    /** Makes the FIFO (replacing any file there) and starts emptying it as soon as a writer opens it. */
    static FifoReader start(Path path) throws IOException, InterruptedException {
        Files.deleteIfExists(path);
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        FifoReader fifo = new FifoReader(path);
        fifo.reader.start();
        return fifo;
    }

    Path path() {
        return path;
    }

    long bytes() {
        return bytes.get();
    }

    /** Waits until count bytes have come through (or the writer has ended); returns System.nanoTime() then. */
    long awaitBytes(long count, Process writer) throws InterruptedException {
        while (bytes.get() < count && writer.isAlive()) {
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    /** Opens again after each end of file: a writer may open and close the path before it writes. */
    private void drain() {
        byte[] buffer = new byte[1 << 20];
        while (!closed) {
            try (InputStream in = Files.newInputStream(path)) { // blocks until a writer opens its end
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes.addAndGet(n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Call once the writer has ended: lets the reader go (it waits in open for the next writer), removes the FIFO. */
    @Override
    public void close() throws InterruptedException, IOException {
        closed = true;
        Thread release = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.WRITE)) {
                out.flush(); // opening is what releases the reader: it then reads end of file and stops
            } catch (IOException ignored) {
                // the reader had already stopped
            }
        }, "fifo release");
        release.setDaemon(true);
        release.start();
        reader.join(10_000);
        Files.deleteIfExists(path);
    }
}
