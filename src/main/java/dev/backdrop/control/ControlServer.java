package dev.backdrop.control;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backdrop.compose.BackgroundFile;
import dev.backdrop.config.Background;
import dev.backdrop.config.ConfigException;
import dev.backdrop.output.PreviewSink;
import dev.backdrop.pipeline.LiveControls;
import dev.backdrop.pipeline.LiveJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code live --control}: one page and a small JSON API on the JDK's own HTTP server, to change a
 * running live filter without restarting it (the virtual camera, stream and recording carry on).
 * Every request must carry the run's token and name the address it was sent to as its Host
 * ({@link RequestGuard}); nothing is answered to other origins (no CORS).
 *
 * <pre>
 * GET  /?token=T             the page
 * GET  /api/state            settings in force, views, stats, models, gallery (JSON)
 * POST /api/settings         {"compose.blur": 20, ...}: compose.* and segmentation.model, checked like the config file
 * POST /api/view             {"effect": true, "mask": false} (mask: the preview shows the mask)
 * POST /api/background       a PNG or JPEG (body): checked, stored privately, made the background
 * GET  /api/preview.jpg      the output, small, a few times a second
 * GET  /api/gallery/N        image N of --backgrounds DIR
 * </pre>
 */
public final class ControlServer implements AutoCloseable {

    private static final int MAX_JSON_BYTES = 64 * 1024;
    /**
     * Answers in JSON: a figure not yet known (NaN) as null, which a browser's JSON.parse takes; text as
     * it is (served as application/json with nosniff, and the page sets it as text, never as HTML).
     */
    private static final Gson JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .registerTypeAdapter(Double.class, (JsonSerializer<Double>) (v, type, context) ->
                    Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE)
            .create();

    private final HttpServer server;
    private final ExecutorService threads;
    private final RequestGuard guard;
    private final LiveControls controls;
    private final PreviewSink preview;
    private final Supplier<LiveJob.Stats> stats;
    private final List<String> models;
    private final Path uploads;
    private final AtomicInteger uploadCount = new AtomicInteger();
    private final byte[] page;
    private final byte[] script = bytes(resource("control.js"));
    private final byte[] style = bytes(resource("control.css"));
    private final PrintStream out;
    private long lastCpu;
    private long lastCpuWall;

    /** What the page may show and change. */
    public record Parts(LiveControls controls, PreviewSink preview, Supplier<LiveJob.Stats> stats, List<String> models) {
    }

    private ControlServer(InetSocketAddress address, Parts parts, PrintStream out) throws IOException {
        this.controls = parts.controls();
        this.preview = parts.preview();
        this.stats = parts.stats();
        this.models = parts.models();
        this.out = out;
        this.server = HttpServer.create(address, 16);
        int port = server.getAddress().getPort();
        this.guard = new RequestGuard(address.getAddress(), port);
        this.uploads = ImageUpload.privateFolder();
        this.page = bytes(resource("index.html").replace("{{token}}", guard.token()));
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "control page");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving on address:port (port 0: any free one) and prints the page's address with its
     * token, once; an address other than loopback is announced as exposed.
     */
    public static ControlServer start(InetAddress address, int port, Parts parts, PrintStream out) throws IOException {
        ControlServer s = new ControlServer(new InetSocketAddress(address, port), parts, out);
        s.server.start();
        if (!address.isLoopbackAddress()) {
            out.println("WARNING: the control page is exposed on " + address.getHostAddress() + ": anyone who can reach"
                    + " this address and has the token below can see the camera and change it. Use only on a network"
                    + " you trust.");
        }
        out.println("control: " + s.url());
        out.flush();
        return s;
    }

    /** The page's address, token included. */
    public String url() {
        return "http://" + guard.hostPort() + "/?token=" + guard.token();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String refused = guard.refuse(x);
            if (refused != null) {
                send(x, 403, "text/plain; charset=utf-8", bytes(refused));
                return;
            }
            route(x, x.getRequestMethod(), x.getRequestURI().getPath());
        } catch (RuntimeException e) {
            out.println("control page: " + e);
        }
    }

    private void route(HttpExchange x, String method, String path) throws IOException {
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        switch (path) {
            case "/" -> {
                if (get) {
                    send(x, 200, "text/html; charset=utf-8", page);
                    return;
                }
            }
            case "/control.js" -> {
                if (get) {
                    send(x, 200, "text/javascript; charset=utf-8", script);
                    return;
                }
            }
            case "/control.css" -> {
                if (get) {
                    send(x, 200, "text/css; charset=utf-8", style);
                    return;
                }
            }
            case "/api/state" -> {
                if (get) {
                    sendJson(x, 200, state());
                    return;
                }
            }
            case "/api/preview.jpg" -> {
                if (get) {
                    byte[] jpeg = preview.jpeg();
                    if (jpeg == null) {
                        sendJson(x, 503, Map.of("error", "no frame yet"));
                    } else {
                        send(x, 200, "image/jpeg", jpeg);
                    }
                    return;
                }
            }
            case "/api/settings" -> {
                if (post) {
                    settings(x);
                    return;
                }
            }
            case "/api/view" -> {
                if (post) {
                    view(x);
                    return;
                }
            }
            case "/api/background" -> {
                if (post) {
                    upload(x);
                    return;
                }
            }
            default -> {
                if (get && path.startsWith("/api/gallery/")) {
                    gallery(x, path.substring("/api/gallery/".length()));
                    return;
                }
                sendJson(x, 404, Map.of("error", "no such page: " + path));
                return;
            }
        }
        sendJson(x, 405, Map.of("error", method + " is not allowed on " + path));
    }

    private void settings(HttpExchange x) throws IOException {
        Map<String, Object> body = jsonBody(x);
        if (body == null) {
            return;
        }
        try {
            controls.change(body, "the control page");
            sendJson(x, 200, state());
        } catch (ConfigException e) {
            sendJson(x, 400, Map.of("error", e.getMessage()));
        }
    }

    private void view(HttpExchange x) throws IOException {
        Map<String, Object> body = jsonBody(x);
        if (body == null) {
            return;
        }
        for (Map.Entry<String, Object> e : body.entrySet()) {
            if (!(e.getKey().equals("effect") || e.getKey().equals("mask")) || !(e.getValue() instanceof Boolean)) {
                sendJson(x, 400, Map.of("error", "'" + e.getKey() + "': /api/view takes \"effect\" and \"mask\","
                        + " each true or false"));
                return;
            }
        }
        LiveControls.State s = controls.state();
        if (body.containsKey("effect") && (Boolean) body.get("effect") != s.effectOn()) {
            controls.toggleEffect("the control page");
        }
        if (body.containsKey("mask") && (Boolean) body.get("mask") != s.previewMask()) {
            controls.togglePreviewMask();
        }
        sendJson(x, 200, state());
    }

    private void upload(HttpExchange x) throws IOException {
        String length = x.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            sendJson(x, 411, Map.of("error", "the upload needs a Content-Length"));
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            declared = Long.MAX_VALUE;
        }
        if (declared > ImageUpload.MAX_BYTES) {
            sendJson(x, 413, Map.of("error", "the image is larger than " + (ImageUpload.MAX_BYTES >> 20)
                    + " MiB: upload a smaller PNG or JPEG"));
            return;
        }
        byte[] body = read(x.getRequestBody(), ImageUpload.MAX_BYTES);
        try {
            Path stored = ImageUpload.store(body, uploads, uploadCount.incrementAndGet());
            controls.change(Map.of(Background.FILE.key(), stored.toString()), "the control page (upload)");
            sendJson(x, 200, state());
        } catch (ImageUpload.Refused | ConfigException e) {
            sendJson(x, 400, Map.of("error", e.getMessage()));
        }
    }

    private void gallery(HttpExchange x, String index) throws IOException {
        List<Path> images = controls.backgrounds();
        int i;
        try {
            i = Integer.parseInt(index);
        } catch (NumberFormatException e) {
            i = -1;
        }
        if (i < 0 || i >= images.size()) {
            sendJson(x, 404, Map.of("error", "no gallery image " + index));
            return;
        }
        Path file = images.get(i);
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        send(x, 200, name.endsWith(".png") ? "image/png" : "image/jpeg", Files.readAllBytes(file));
    }

    private Map<String, Object> state() {
        LiveControls.State s = controls.state();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("settings", controls.liveValues());
        state.put("effect", s.effectOn());
        state.put("mask", s.previewMask());
        state.put("version", s.version());
        Map<String, Object> figures = new LinkedHashMap<>();
        LiveJob.Stats now = stats.get();
        if (now != null) {
            figures.put("fps", now.fps());
            figures.put("latency_p50_ms", now.latencyP50());
            figures.put("latency_p99_ms", now.latencyP99());
            figures.put("frames", now.frames());
            figures.put("dropped", now.dropped());
            figures.put("model_ms", now.inferenceMillis());
        }
        figures.put("cpu_percent", cpuPercent());
        figures.put("preview_ms_per_frame", preview.millisPerFrame());
        figures.put("last_change_ms", controls.lastChangeMillis());
        state.put("stats", figures);
        state.put("models", models);
        List<Map<String, Object>> gallery = new ArrayList<>();
        List<Path> images = controls.backgrounds();
        for (int i = 0; i < images.size(); i++) {
            gallery.add(Map.of("name", images.get(i).getFileName().toString(), "path", images.get(i).toString(),
                    "url", "/api/gallery/" + i));
        }
        state.put("gallery", gallery);
        BackgroundFile file = s.background();
        state.put("background_kind", file instanceof BackgroundFile.Video ? "video"
                : file != null ? "image" : s.settings().compose().background().solidColour() >= 0 ? "colour" : "blur");
        return state;
    }

    /** The process's CPU use since the last time the state was asked for, in percent of one core (200 = two). */
    private synchronized double cpuPercent() {
        long wall = System.nanoTime();
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        double percent = cpu < 0 || lastCpuWall == 0 || wall == lastCpuWall ? 0
                : 100.0 * (cpu - lastCpu) / (wall - lastCpuWall);
        lastCpu = cpu;
        lastCpuWall = wall;
        return percent;
    }

    /** The request's JSON object, or null after answering 400/415 with why. */
    private Map<String, Object> jsonBody(HttpExchange x) throws IOException {
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            sendJson(x, 415, Map.of("error", "send the settings as application/json"));
            return null;
        }
        byte[] body = read(x.getRequestBody(), MAX_JSON_BYTES);
        if (body.length > MAX_JSON_BYTES) {
            sendJson(x, 413, Map.of("error", "the request is larger than 64 KiB"));
            return null;
        }
        Object parsed;
        try { // JSON is YAML 1.2: the config file's own parser reads it
            parsed = new Load(LoadSettings.builder().setLabel("the request").build())
                    .loadFromString(new String(body, StandardCharsets.UTF_8));
        } catch (YamlEngineException e) {
            sendJson(x, 400, Map.of("error", "the request is not valid JSON"));
            return null;
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            sendJson(x, 400, Map.of("error", "send a JSON object, e.g. {\"compose.blur\": 20}"));
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((k, v) -> values.put(String.valueOf(k), v));
        return values;
    }

    /** At most limit + 1 bytes: one more than allowed tells the caller the body was too large. */
    private static byte[] read(InputStream in, int limit) throws IOException {
        return in.readNBytes(limit + 1);
    }

    private void sendJson(HttpExchange x, int status, Object body) throws IOException {
        send(x, status, "application/json; charset=utf-8", bytes(JSON.toJson(body)));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        var h = x.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer"); // the token is in the page's address
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'");
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = x.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String resource(String name) {
        try (InputStream in = ControlServer.class.getResourceAsStream("page/" + name)) {
            if (in == null) {
                throw new IllegalStateException("control page file " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try (var files = Files.walk(uploads)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder: the system cleans it eventually
        }
    }
}
