package dev.backdrop.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real nginx with Debian's RTMP module, on a free loopback port, for stream tests. */
public final class Nginx implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/nginx");
    static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final Path dir;
    private final int port;
    private Process process;

    private Nginx(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts nginx serving RTMP application "live"; the test is skipped, with the reason, without nginx. */
    public static Nginx startRtmp(Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(BINARY) && Files.exists(MODULE),
                "needs nginx with the RTMP module (apt-get install nginx libnginx-mod-rtmp; .ci/run installs them)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "load_module " + MODULE + ";",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + " warn;",
                "events { worker_connections 64; }",
                "rtmp { server { listen 127.0.0.1:" + port + "; chunk_size 4096;",
                "  application live { live on; record off; } } }", ""));
        Nginx nginx = new Nginx(dir, port);
        nginx.start();
        return nginx;
    }

    public String url(String stream) {
        return "rtmp://127.0.0.1:" + port + "/live/" + stream;
    }

    /** (Re)starts the server and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("nginx did not start; see " + dir.resolve("logs"));
    }

    /** Stops the server, dropping every connection, as a crash or restart would. */
    public void stop() throws InterruptedException {
        if (process != null) {
            // kill the workers as well: they hold the connections, and a killed master would orphan them
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
