package dev.backdrop.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The cameras this machine has and how FFmpeg names them. Linux is read from /dev/video* and
 * sysfs; on Windows and macOS the FFmpeg device names (DirectShow "video=NAME", AVFoundation
 * index) are passed through unchecked.
 */
public final class CameraDevices {

    /** A camera: its device path and the name the driver gives it. */
    public record Camera(String device, String name) {
    }

    private CameraDevices() {
    }

    public static String ffmpegFormat() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("win") ? "dshow" : os.contains("mac") ? "avfoundation" : "v4l2";
    }

    /** The input name FFmpeg's capture device expects for what the user typed. */
    static String ffmpegName(String device) {
        if ("dshow".equals(ffmpegFormat()) && !device.startsWith("video=")) {
            return "video=" + device;
        }
        return device;
    }

    /** Video capture devices, sorted; empty when there are none (or on a platform without /dev). */
    public static List<Camera> list() {
        List<Camera> cameras = new ArrayList<>();
        Path dev = Path.of("/dev");
        if (!Files.isDirectory(dev)) {
            return cameras;
        }
        try (Stream<Path> entries = Files.list(dev)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().matches("video\\d+")).sorted().toList()) {
                cameras.add(new Camera(p.toString(), driverName(p)));
            }
        } catch (IOException e) {
            return cameras;
        }
        return cameras;
    }

    /**
     * The pixel formats and sizes a camera offers, as FFmpeg's V4L2 device lists them
     * ("Compressed: mjpeg : Motion-JPEG : 1280x720 640x480 ..."); empty where it lists nothing.
     */
    public static List<String> formats(String device) {
        String log = dev.backdrop.ffmpeg.FfmpegLog.captureInfo(() -> {
            org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(ffmpegName(device));
            g.setFormat(ffmpegFormat());
            g.setOption("list_formats", "all");
            try {
                g.startUnsafe();
                g.close();
            } catch (org.bytedeco.javacv.FrameGrabber.Exception expected) {
                // list_formats makes the device print its formats and then refuse to open
            }
        });
        return log.lines().filter(l -> l.contains(":")).filter(l -> l.matches(".*\\d+x\\d+.*")).toList();
    }

    /** The first camera, or a CaptureException saying there is none and what to do instead. */
    public static String firstCamera() {
        List<Camera> cameras = list();
        if (cameras.isEmpty()) {
            throw new CaptureException("no camera found (no /dev/video* device). Plug one in, or read a file or"
                    + " stream with --input URL; `backdrop devices` lists cameras");
        }
        return cameras.get(0).device();
    }

    /** Fails with one clear line when a Linux device path does not exist. */
    static void requireExists(String device) {
        if ("v4l2".equals(ffmpegFormat()) && !Files.exists(Path.of(device))) {
            throw new CaptureException("camera " + device + " not found; `backdrop devices` lists the cameras here");
        }
    }

    private static String driverName(Path device) {
        Path name = Path.of("/sys/class/video4linux", device.getFileName().toString(), "name");
        try {
            return Files.readString(name).strip();
        } catch (IOException e) {
            return "(unnamed)";
        }
    }
}
