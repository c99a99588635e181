package dev.backdrop.cli;

import dev.backdrop.capture.CameraDevices;
import dev.backdrop.capture.VideoSource;
import dev.backdrop.config.SettingValues;
import dev.backdrop.config.Settings;
import dev.backdrop.control.ControlServer;
import dev.backdrop.control.SignalControls;
import dev.backdrop.output.OutputException;
import dev.backdrop.output.PreviewSink;
import dev.backdrop.segment.SegmentationModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import dev.backdrop.output.FrameSink;
import dev.backdrop.output.Outputs;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.output.WindowSink;
import dev.backdrop.pipeline.LiveControls;
import dev.backdrop.pipeline.LiveJob;
import dev.backdrop.pipeline.StageFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backdrop live}: camera (or any input) in; window, virtual camera, stream, recording, pipe out. */
@Command(name = "live", mixinStandardHelpOptions = true,
        description = "Filter a camera (or any FFmpeg input) live into one or more outputs at once. Ctrl-C stops cleanly.")
final class LiveCommand implements Callable<Integer> {

    @Option(names = "--device", paramLabel = "DEV", description = "Camera (default: the first one; see `backdrop devices`).")
    String device;

    @Option(names = "--input", paramLabel = "URL", description = "Any FFmpeg input instead of a camera: a file (played at its own rate), rtsp://, lavfi:GRAPH.")
    String input;

    @Option(names = "--size", paramLabel = "WxH", description = "Camera size, e.g. 1280x720.")
    String size;

    @Option(names = "--fps", paramLabel = "N", description = "Camera frame rate.")
    double fps;

    @Option(names = "--window", description = "Show the result in a window (hotkeys: B blur, +/- strength, N background, M mask, S stats, F fullscreen, Q quit).")
    boolean window;

    @Option(names = "--backgrounds", paramLabel = "DIR", description = "Images the window's N key cycles through and the control page offers.")
    Path backgrounds;

    @Option(names = "--record", paramLabel = "FILE", description = "Record, crash-safe (.mkv Matroska, or .mp4 fragmented).")
    Path record;

    @Option(names = "--rtmp", paramLabel = "URL", description = "Stream over RTMP (H.264 zerolatency + AAC, keyframe every 2 s); reconnects.")
    String rtmp;

    @Option(names = "--srt", paramLabel = "URL", description = "Stream over SRT (MPEG-TS); reconnects.")
    String srt;

    @Option(names = "--v4l2", paramLabel = "DEV", description = "Virtual camera (v4l2loopback device), or a file/pipe for raw frames.")
    String v4l2;

    @Option(names = "--v4l2-format", paramLabel = "yuyv|i420", defaultValue = "yuyv", description = "Pixel format for --v4l2 (default ${DEFAULT-VALUE}).")
    String v4l2Format;

    @Option(names = "--pipe", paramLabel = "OUT", description = "Frames to a pipe: - for standard output, or a file/FIFO.")
    String pipe;

    @Option(names = "--pipe-format", paramLabel = "nut|rawvideo", defaultValue = "nut", description = "NUT with raw YUV 4:2:0 (ffplay reads it), or bare BGR24 frames (default ${DEFAULT-VALUE}).")
    String pipeFormat;

    @Option(names = "--stream-bitrate", paramLabel = "KBPS", defaultValue = "2500", description = "Video bitrate for --rtmp/--srt (default ${DEFAULT-VALUE}).")
    int streamKbps;

    @Option(names = "--stream-timeout", paramLabel = "S", defaultValue = "30", description = "Give up when the stream server cannot be reached for this long at start (default ${DEFAULT-VALUE}).")
    double streamTimeout;

    @Option(names = "--input-timeout", paramLabel = "S", defaultValue = "30", description = "When the camera or"
            + " stream is lost mid-run, the outputs show its last frame while it is reopened; give up after S seconds"
            + " (0 = retry for ever; default ${DEFAULT-VALUE}).")
    double inputTimeout;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "0", description = "Stop after this long (0 = until Ctrl-C or the input ends).")
    double seconds;

    @Option(names = "--report", paramLabel = "S", defaultValue = "5", description = "Print fps, latency and drops every S seconds (default ${DEFAULT-VALUE}).")
    double reportSeconds;

    @Option(names = "--control", arity = "0..1", fallbackValue = "8787", paramLabel = "PORT",
            description = "Serve a control page on 127.0.0.1:PORT (default 8787): preview, blur, background, model,"
                    + " stats; its address with a one-time token is printed at start.")
    Integer controlPort;

    @Option(names = "--control-bind", paramLabel = "ADDR", description = "Serve the control page on this address"
            + " instead of 127.0.0.1 (exposes the camera to whoever can reach it and has the token).")
    String controlBind;

    @Mixin
    SettingsOptions options;

    private Outputs.Request requested;
    private LiveJob job;
    private LiveControls controls;
    private ControlServer control;
    private PrintStream report = System.out;

    @Override
    public Integer call() throws Exception {
        if (!window && record == null && rtmp == null && srt == null && v4l2 == null && pipe == null
                && controlPort == null) {
            throw new IllegalArgumentException("no output: give at least one of --window, --record FILE, --rtmp URL,"
                    + " --srt URL, --v4l2 DEV, --pipe -, --control");
        }
        if (controlBind != null && controlPort == null) {
            throw new IllegalArgumentException("--control-bind ADDR goes with --control [PORT]");
        }
        requested = new Outputs.Request(record, rtmp, srt, v4l2, v4l2Format, pipe, pipeFormat, streamKbps,
                streamTimeout); // checks the formats before the input opens
        SettingValues values = options.values();
        Settings settings = Settings.from(values);
        LiveJob job = new LiveJob(input(), settings, Backdrop.home(), this::sinks, seconds, reportSeconds);
        job.inputTimeout(inputTimeout);
        this.job = job;
        boolean stdoutTaken = "-".equals(pipe);
        PrintStream report = stdoutTaken ? System.err : System.out;
        controls = new LiveControls(values, backgrounds, report);
        job.controlledBy(controls);
        SignalControls.install(controls, options::values, report);
        this.report = report;
        // Ctrl-C / SIGTERM: stop capturing, let every output finalise, print the summary, then exit.
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            job.stop();
            try {
                finished.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            LiveJob.Summary s = job.run();
            report.printf("%d frames in %.2f s (%.1f fps), dropped %d, latency p50 %.1f ms p99 %.1f ms%n",
                    s.frames(), s.seconds(), s.fps(), s.dropped(), s.latencyP50(), s.latencyP99());
            report.flush();
            return 0;
        } finally {
            if (control != null) {
                control.close();
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyStopping) {
                // the JVM is shutting down because of the signal: the hook is waiting for us
            }
        }
    }

    private LiveJob.Input input() {
        if (input != null && device != null) {
            throw new IllegalArgumentException("give --device or --input, not both");
        }
        if (input != null && (size != null || fps > 0)) {
            // They would be ignored: an FFmpeg input keeps its own size and rate.
            throw new IllegalArgumentException("--size and --fps choose a camera's mode; --input " + input
                    + " is used at its own size and rate (scale or resample it in the input instead)");
        }
        if (input != null) {
            boolean live = VideoSource.isLive(input); // a file or lavfi: played at its own rate, and its end is the end
            return new LiveJob.Input(input, !live, live, layout -> VideoSource.open(input, layout));
        }
        String camera = device != null ? device : CameraDevices.firstCamera();
        int[] wh = size == null ? new int[] {0, 0} : FrameSize.parse(size, "--size");
        return new LiveJob.Input(camera, false, true,
                layout -> VideoSource.openCamera(camera, wh[0], wh[1], fps, layout));
    }

    private ControlServer startControl(PreviewSink preview) {
        InetAddress address;
        try {
            address = InetAddress.getByName(controlBind != null ? controlBind : "127.0.0.1");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--control-bind " + controlBind + " is not an address of this machine");
        }
        try {
            return ControlServer.start(address, controlPort, new ControlServer.Parts(controls, preview, job::stats,
                    SegmentationModel.available(Backdrop.home().resolve("models"))), report);
        } catch (IOException e) {
            throw new OutputException("cannot serve the control page on " + address.getHostAddress() + ":" + controlPort
                    + " (" + e.getMessage() + "): give another port with --control PORT", e);
        }
    }

    /** Every output asked for, opened now that the input's size and rate are known. */
    private List<FrameSink> sinks(VideoWriter.Format format) {
        List<FrameSink> sinks = new ArrayList<>();
        try {
            if (window) {
                sinks.add(new WindowSink(format.width(), format.height(), StageFactory.shaderDir(Backdrop.home()),
                        controls, job::stop, job::statsLine));
            }
            sinks.addAll(Outputs.open(requested, format));
            if (controlPort != null) {
                PreviewSink preview = new PreviewSink(format.width(), format.height(), 640, 5);
                sinks.add(preview);
                control = startControl(preview);
            }
            return sinks;
        } catch (RuntimeException e) {
            Outputs.closeQuietly(sinks);
            throw e;
        }
    }
}
