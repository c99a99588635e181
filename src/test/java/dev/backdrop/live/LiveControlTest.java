package dev.backdrop.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.cli.BackdropCli;
import dev.backdrop.testing.Sharpness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running {@code live} changed without a restart, through signals and through the control page's
 * API, measured on the recording it keeps writing: FFmpeg's test pattern (no person, so the whole
 * picture is background) goes blurred, sharp (effect off or blur 0), red (a colour background), in
 * the order the changes were made, in one file.
 */
class LiveControlTest {

    static final String SOURCE = "lavfi:testsrc2=size=320x180:rate=15";
    static final Pattern CONTROL_URL = Pattern.compile("control: (http://127\\.0\\.0\\.1:(\\d+)/\\?token=([A-Za-z0-9_-]+))");

    @TempDir
    Path dir;

    /** What a recorded frame shows. */
    enum Look { BLURRED, SHARP, RED }

    @Test
    void signalsToggleTheEffectAndReloadTheConfig() throws Exception {
        Path config = dir.resolve("backdrop.yaml");
        Files.writeString(config, "compose:\n  blur: 12\n");
        Path record = dir.resolve("signals.mkv");
        Path log = dir.resolve("signals.log");
        Process live = BackdropCli.start(log, "live", "--input", SOURCE, "--config", config.toString(),
                "--record", record.toString());
        try {
            awaitLog(log, live, "capturing");
            Thread.sleep(1500);
            signal(live, "USR1");
            awaitLog(log, live, "SIGUSR1: effect off");
            Thread.sleep(1500);
            signal(live, "USR1");
            awaitLog(log, live, "SIGUSR1: effect on");
            Thread.sleep(1500);
            Files.writeString(config, "compose:\n  blur: 12\n  background_colour: \"#ff0000\"\n");
            signal(live, "HUP");
            awaitLog(log, live, "SIGHUP: compose.background_colour \"#ff0000\"");
            Thread.sleep(1500);
            Files.writeString(config, "compose:\n  blur: 999\n");
            signal(live, "HUP");
            awaitLog(log, live, "the settings in force stay");
            Thread.sleep(1000);
        } finally {
            stop(live);
        }
        String text = Files.readString(log);
        assertTrue(text.contains("'compose.blur' in " + config + " must be between 0 and 200, got 999"), text);
        assertEquals(List.of(Look.BLURRED, Look.SHARP, Look.BLURRED, Look.RED), phases(record),
                "the recording follows the signals; log:\n" + text);
    }

    @Test
    void theControlApiChangesTheOutputAndRefusesStrangers() throws Exception {
        Path record = dir.resolve("api.mkv");
        Path log = dir.resolve("api.log");
        Process live = BackdropCli.start(log, "live", "--input", SOURCE, "--control", "0", "--record", record.toString());
        try {
            awaitLog(log, live, "capturing");
            Matcher m = CONTROL_URL.matcher(Files.readString(log));
            assertTrue(m.find(), Files.readString(log));
            String base = "http://127.0.0.1:" + m.group(2);
            String token = m.group(3);
            HttpClient http = HttpClient.newHttpClient();

            // Strangers: no token, a wrong token, a foreign Host (DNS rebinding), a foreign Origin.
            assertEquals(403, get(http, base + "/api/state", null).statusCode());
            assertEquals(403, get(http, base + "/api/state?token=x" + token, null).statusCode());
            assertEquals(403, statusWithHost(Integer.parseInt(m.group(2)), "/?token=" + token, "evil.example:" + m.group(2)));
            HttpResponse<String> crossSite = post(http, base + "/api/settings", token, "application/json",
                    "{\"compose.blur\": 0}".getBytes(), "Origin", "http://evil.example");
            assertEquals(403, crossSite.statusCode());
            assertTrue(crossSite.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no CORS");
            HttpResponse<String> page = get(http, base + "/?token=" + token, null);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("control.js?token=" + token), page.body());

            Thread.sleep(1500);
            HttpResponse<String> sharp = post(http, base + "/api/settings", token, "application/json",
                    "{\"compose.blur\": 0}".getBytes());
            assertEquals(200, sharp.statusCode(), sharp.body());
            assertTrue(sharp.body().contains("\"compose.blur\":0"), sharp.body());
            Thread.sleep(1500);

            // Refused changes leave everything as it was.
            HttpResponse<String> bad = post(http, base + "/api/settings", token, "application/json",
                    "{\"compose.blur\": 12, \"compose.edge_low\": 5}".getBytes());
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("'compose.edge_low' in the control page must be between 0 and 1"), bad.body());
            HttpResponse<String> restart = post(http, base + "/api/settings", token, "application/json",
                    "{\"pipeline.ring_size\": 16}".getBytes());
            assertEquals(400, restart.statusCode());
            assertTrue(restart.body().contains("cannot change while live runs"), restart.body());
            HttpResponse<String> notImage = post(http, base + "/api/background", token, "image/png",
                    "#!/bin/sh\necho not a picture\n".getBytes());
            assertEquals(400, notImage.statusCode());
            assertTrue(notImage.body().contains("not a PNG or JPEG"), notImage.body());
            HttpResponse<String> huge = post(http, base + "/api/background", token, "image/png", hugePngHeader());
            assertEquals(400, huge.statusCode());
            assertTrue(huge.body().contains("at most 4096x4096"), huge.body());
            HttpResponse<String> state = get(http, base + "/api/state?token=" + token, null);
            assertTrue(state.body().contains("\"compose.blur\":0") && state.body().contains("\"compose.background\":\"\""),
                    "refused changes changed nothing: " + state.body());
            Thread.sleep(1000);

            HttpResponse<String> red = post(http, base + "/api/settings", token, "application/json",
                    "{\"compose.background_colour\": \"#ff0000\"}".getBytes());
            assertEquals(200, red.statusCode(), red.body());
            Thread.sleep(1500);
            HttpResponse<byte[]> preview = null;
            for (int i = 0; i < 20 && (preview == null || preview.statusCode() == 503); i++) { // the first asks start it
                Thread.sleep(preview == null ? 0 : 100);
                preview = http.send(HttpRequest.newBuilder(URI.create(base + "/api/preview.jpg?token=" + token)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            }
            assertEquals(200, preview.statusCode());
            assertTrue(preview.body().length > 500 && (preview.body()[0] & 0xFF) == 0xFF, "a JPEG preview");
            // A model with another mask size (rvm: 320x180 here, the ring's masks are 256x256) is resampled in.
            HttpResponse<String> rvm = post(http, base + "/api/settings", token, "application/json",
                    "{\"segmentation.model\": \"rvm\"}".getBytes());
            assertEquals(200, rvm.statusCode(), rvm.body());
            awaitLog(log, live, "model now rvm");
            String figures = get(http, base + "/api/state?token=" + token, null).body();
            System.out.println("control page state: " + figures.substring(figures.indexOf("\"stats\"")));
        } finally {
            stop(live);
        }
        assertEquals(List.of(Look.BLURRED, Look.SHARP, Look.RED), phases(record),
                "the recording follows the API; log:\n" + Files.readString(log));
    }

    /** A PNG whose header declares 30000x30000 pixels: refused before anything decodes it. */
    private static byte[] hugePngHeader() {
        ByteBuffer b = ByteBuffer.allocate(33);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(30000).putInt(30000);
        b.put(new byte[] {8, 2, 0, 0, 0});
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** The recording's frames as runs of looks, runs shorter than 4 frames (the changes' edges) left out. */
    static List<Look> phases(Path record) {
        List<Look> looks = new ArrayList<>();
        try (VideoSource source = VideoSource.open(record.toString())) {
            for (Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image != null) {
                    looks.add(look(f));
                }
            }
        }
        StringBuilder runs = new StringBuilder();
        for (int i = 0; i < looks.size(); i++) {
            if (i == 0 || looks.get(i) != looks.get(i - 1)) {
                runs.append(' ').append(looks.get(i)).append('@').append(i);
            }
        }
        System.out.println(record.getFileName() + ": " + looks.size() + " frames," + runs + " (source detail "
                + Math.round(SOURCE_DETAIL) + ")");
        List<Look> phases = new ArrayList<>();
        int run = 0;
        for (int i = 0; i <= looks.size(); i++) {
            if (i < looks.size() && i > 0 && looks.get(i) == looks.get(i - 1)) {
                run++;
                continue;
            }
            if (i > 0 && run >= 4 && (phases.isEmpty() || phases.get(phases.size() - 1) != looks.get(i - 1))) {
                phases.add(looks.get(i - 1));
            }
            run = 1;
        }
        return phases;
    }

    private static Look look(Frame f) {
        ByteBuffer bgr = (ByteBuffer) f.image[0];
        int w = f.imageWidth;
        int h = f.imageHeight;
        double b = 0;
        double g = 0;
        double r = 0;
        for (int y = 0; y < h; y += 4) {
            for (int x = 0; x < w; x += 4) {
                int i = y * f.imageStride + x * 3;
                b += bgr.get(i) & 0xFF;
                g += bgr.get(i + 1) & 0xFF;
                r += bgr.get(i + 2) & 0xFF;
            }
        }
        if (r > 3 * (g + b) / 2 && r / ((h / 4.0) * (w / 4.0)) > 180) {
            return Look.RED;
        }
        // Sharp: most of the pattern's own detail. (The model sometimes takes a part of the moving pattern for a
        // person and keeps it sharp: a fraction of the detail, still "blurred".)
        return Sharpness.laplacianEnergy(bgr, f.imageStride, w, h, 0, 0, w, h) > 0.5 * SOURCE_DETAIL ? Look.SHARP
                : Look.BLURRED;
    }

    /** The Laplacian energy of the source itself, unfiltered. */
    static final double SOURCE_DETAIL = sourceDetail();

    private static double sourceDetail() {
        try (VideoSource source = VideoSource.open(SOURCE + ":duration=1")) {
            double least = Double.MAX_VALUE;
            for (Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image != null) {
                    least = Math.min(least, Sharpness.laplacianEnergy((ByteBuffer) f.image[0], f.imageStride,
                            f.imageWidth, f.imageHeight, 0, 0, f.imageWidth, f.imageHeight));
                }
            }
            return least;
        }
    }

    static void awaitLog(Path log, Process live, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains(text)) {
            assertTrue(live.isAlive() && System.nanoTime() < deadline, "waited for '" + text + "':\n" + Files.readString(log));
            Thread.sleep(50);
        }
    }

    static void signal(Process live, String name) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(live.pid())).start().waitFor());
    }

    static void stop(Process live) throws InterruptedException {
        live.destroy();
        if (!live.waitFor(30, TimeUnit.SECONDS)) {
            live.destroyForcibly();
        }
    }

    /** A request with a Host header of our choosing (HttpClient will not send one), by hand; its status. */
    static int statusWithHost(int port, String path, String host) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    static HttpResponse<String> get(HttpClient http, String url, String header, String... value) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (header != null) {
            r.setHeader(header, value[0]);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient http, String url, String token, String type, byte[] body,
                                     String... header) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).header("X-Backdrop-Token", token)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (header.length == 2) {
            r.setHeader(header[0], header[1]);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
