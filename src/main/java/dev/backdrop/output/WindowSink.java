package dev.backdrop.output;

import static org.lwjgl.glfw.GLFW.*;

import dev.backdrop.compose.HeadlessGl;
import dev.backdrop.compose.PreviewRenderer;
import dev.backdrop.pipeline.LiveControls;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bytedeco.javacv.Frame;
import org.lwjgl.glfw.GLFWErrorCallback;
import org.lwjgl.opengl.GL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live window: a GLFW window on its own thread showing the newest composited frame, with the
 * hotkeys B (blur on/off), + and − (strength), N (next background), M (mask view), S (stats in
 * the title bar), F (fullscreen), Q or Esc (quit). The output thread only copies the frame into
 * a spare buffer; it never waits for the screen.
 */
public final class WindowSink implements FrameSink {

    private static final Logger LOG = LoggerFactory.getLogger(WindowSink.class);

    private final int width;
    private final int height;
    private final Path shaderDir;
    private final LiveControls controls;
    private final Runnable onQuit;
    private final Supplier<String> stats;
    private final Object lock = new Object();
    /** Double buffer: the output thread fills {@code back}; the window thread swaps it with {@code front}. */
    private ByteBuffer back;
    private ByteBuffer front;
    private boolean fresh;
    private final CountDownLatch opened = new CountDownLatch(1);
    private volatile RuntimeException failure;
    private volatile boolean closing;
    private final Thread thread;

    /**
     * @param onQuit what Q, Esc or closing the window does (stop the run)
     * @param stats the line S shows in the title bar
     */
    public WindowSink(int width, int height, Path shaderDir, LiveControls controls, Runnable onQuit, Supplier<String> stats) {
        this.width = width;
        this.height = height;
        this.shaderDir = shaderDir;
        this.controls = controls;
        this.onQuit = onQuit;
        this.stats = stats;
        int stride = dev.backdrop.compose.Compositor.frameStride(width);
        back = ByteBuffer.allocateDirect(stride * height);
        front = ByteBuffer.allocateDirect(stride * height);
        thread = new Thread(this::run, "window");
        thread.setDaemon(true);
        thread.start();
        try {
            opened.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** BGR24, as every live output gets it: the preview's shader reads that layout. */
    @Override
    public void writeVideo(Frame frame, long timestampMicros) {
        synchronized (lock) {
            back.put(0, (ByteBuffer) frame.image[0], 0, frame.imageStride * frame.imageHeight);
            fresh = true;
        }
    }

    private void run() {
        long window = 0;
        PreviewRenderer renderer = null;
        try {
            GLFWErrorCallback.createPrint(System.err).set();
            if (!glfwInit()) {
                throw new OutputException("cannot open a window: no display (set DISPLAY, or run under Xvfb);"
                        + " use --record, --rtmp, --v4l2 or --pipe without one", null);
            }
            glfwDefaultWindowHints();
            // EGL, like the compositor's context, so both load GL the same way
            glfwWindowHint(GLFW_CONTEXT_CREATION_API, GLFW_EGL_CONTEXT_API);
            glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
            glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
            glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
            window = glfwCreateWindow(width, height, "Backdrop", 0, 0);
            if (window == 0) {
                throw new OutputException("cannot open a window: GLFW could not create an OpenGL 3.3 window", null);
            }
            glfwSetKeyCallback(window, (w, key, scancode, action, mods) -> {
                if (action == GLFW_PRESS) {
                    onKey(w, key);
                }
            });
            glfwMakeContextCurrent(window);
            glfwSwapInterval(0); // never wait for vsync: the next frame may already be waiting
            HeadlessGl.loadGlFunctions();
            GL.createCapabilities();
            renderer = new PreviewRenderer(width, height, shaderDir);
            LOG.info("window open: B blur, +/- strength, N background, M mask, S stats, F fullscreen, Q quit");
            opened.countDown();
            long nextTitle = 0;
            while (!closing) {
                if (glfwWindowShouldClose(window)) {
                    onQuit.run();
                    break;
                }
                boolean draw;
                synchronized (lock) {
                    draw = fresh;
                    if (draw) {
                        ByteBuffer t = front;
                        front = back;
                        back = t;
                        fresh = false;
                    }
                }
                if (draw) {
                    glfwGetFramebufferSize(window, framebufferWidth, framebufferHeight);
                    renderer.draw(front, framebufferWidth[0], framebufferHeight[0]);
                    glfwSwapBuffers(window);
                }
                long now = System.nanoTime();
                if (now >= nextTitle) {
                    glfwSetWindowTitle(window, controls.state().showStats() ? "Backdrop — " + stats.get() : "Backdrop");
                    nextTitle = now + 500_000_000L;
                }
                glfwWaitEventsTimeout(0.005);
            }
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException re ? re : new OutputException("window failed: " + e, e);
            opened.countDown();
        } finally {
            if (renderer != null) {
                renderer.close();
            }
            if (window != 0) {
                glfwDestroyWindow(window);
            }
            glfwTerminate();
        }
    }

    private final int[] framebufferWidth = new int[1];
    private final int[] framebufferHeight = new int[1];
    private boolean fullscreen;
    private final int[] windowedPosition = new int[4];

    private void onKey(long window, int key) {
        switch (key) {
            case GLFW_KEY_B -> controls.toggleBlur();
            case GLFW_KEY_EQUAL, GLFW_KEY_KP_ADD -> controls.strength(+1);
            case GLFW_KEY_MINUS, GLFW_KEY_KP_SUBTRACT -> controls.strength(-1);
            case GLFW_KEY_N -> controls.nextBackground();
            case GLFW_KEY_M -> controls.toggleMask();
            case GLFW_KEY_S -> controls.toggleStats();
            case GLFW_KEY_F -> toggleFullscreen(window);
            case GLFW_KEY_Q, GLFW_KEY_ESCAPE -> {
                System.out.println("hotkey: quit");
                onQuit.run();
            }
            default -> {
                // other keys do nothing
            }
        }
    }

    private void toggleFullscreen(long window) {
        long monitor = glfwGetPrimaryMonitor();
        if (monitor == 0) {
            return;
        }
        if (!fullscreen) {
            int[] x = new int[1];
            int[] y = new int[1];
            int[] w = new int[1];
            int[] h = new int[1];
            glfwGetWindowPos(window, x, y);
            glfwGetWindowSize(window, w, h);
            windowedPosition[0] = x[0];
            windowedPosition[1] = y[0];
            windowedPosition[2] = w[0];
            windowedPosition[3] = h[0];
            var mode = glfwGetVideoMode(monitor);
            glfwSetWindowMonitor(window, monitor, 0, 0, mode.width(), mode.height(), mode.refreshRate());
        } else {
            glfwSetWindowMonitor(window, 0, windowedPosition[0], windowedPosition[1], windowedPosition[2],
                    windowedPosition[3], GLFW_DONT_CARE);
        }
        fullscreen = !fullscreen;
        System.out.println("hotkey: fullscreen " + (fullscreen ? "on" : "off"));
    }

    @Override
    public void close() {
        closing = true;
        if (failure == null && thread.isAlive()) {
            glfwPostEmptyEvent(); // wakes the window thread from waiting for events
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
