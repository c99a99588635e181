package dev.backdrop.compose;

import static org.lwjgl.egl.EGL10.*;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_API;
import static org.lwjgl.egl.EGL14.eglBindAPI;
import static org.lwjgl.egl.EGL15.*;

import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GL11;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.backdrop.threads.Preload;
import java.nio.IntBuffer;

/** An OpenGL context with no window: EGL surfaceless on Mesa; current on the creating thread. */
public final class HeadlessGl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeadlessGl.class);

    /** From EGL_MESA_platform_surfaceless: a display that needs no X server, Wayland or DRM device. */
    static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;
    private static final int EGL_OPENGL_BIT = 0x0008;

    /** Core profiles we accept, best first; the shaders need only 3.3. */
    private static final int[][] VERSIONS = {{4, 5}, {4, 3}, {4, 1}, {3, 3}};

    private final long display;
    private final long context;
    private final String renderer;
    private final Thread owner;
    private boolean closed;

    private HeadlessGl(long display, long context, String renderer) {
        this.display = display;
        this.context = context;
        this.renderer = renderer;
        this.owner = Thread.currentThread();
    }

    private static volatile Preload preloading;

    /**
     * Starts the GL driver on a thread of its own, so a run can load its model meanwhile: the first
     * context of a process costs about a quarter of a second on llvmpipe (the driver and LLVM
     * load), later ones a few milliseconds. A failure is left for {@link #create} to report.
     */
    public static synchronized void preload() {
        if (preloading != null) {
            return;
        }
        preloading = Preload.start("gl preload", () -> {
            try {
                open(false).close();
            } catch (RuntimeException | LinkageError reportedByCreate) {
                // create() meets the same failure and says what it is
            }
        });
    }

    /** A context made current on this thread; waits for a {@link #preload} under way first. */
    public static HeadlessGl create() {
        Preload preload = preloading;
        if (preload != null) {
            preload.await();
        }
        return open(true);
    }

    /** The renderer and version of a context opened and closed at once, logging nothing (backdrop --version). */
    public static String probe() {
        try (HeadlessGl gl = open(false)) {
            return gl.renderer();
        }
    }

    private static HeadlessGl open(boolean log) {
        long display = surfacelessDisplay();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer major = stack.mallocInt(1);
            IntBuffer minor = stack.mallocInt(1);
            if (!eglInitialize(display, major, minor)) {
                throw new GlUnavailableException("eglInitialize failed on the surfaceless display: " + eglErrorName());
            }
            if (!eglBindAPI(EGL_OPENGL_API)) {
                eglTerminate(display);
                throw new GlUnavailableException("EGL has no desktop OpenGL API: " + eglErrorName());
            }
            long config = chooseConfig(display, stack);
            long context = createCoreContext(display, config, stack);
            // No surface at all: everything renders into framebuffer objects.
            if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
                String error = eglErrorName();
                eglDestroyContext(display, context);
                eglTerminate(display);
                throw new GlUnavailableException("eglMakeCurrent without a surface failed: " + error);
            }
            loadGlFunctions();
            GL.createCapabilities();
            String renderer = GL11.glGetString(GL11.GL_RENDERER) + ", OpenGL " + GL11.glGetString(GL11.GL_VERSION);
            if (log) {
                LOG.info("Headless OpenGL (EGL {}.{} surfaceless): {}", major.get(0), minor.get(0), renderer);
            }
            return new HeadlessGl(display, context, renderer);
        }
    }

    /** E.g. "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 (Core Profile) Mesa 22.3.6". */
    public String renderer() {
        return renderer;
    }

    /**
     * Whether this machine shows a GPU to programs: a DRM render node (Mesa's and most drivers') or
     * NVIDIA's device. Without one, any OpenGL is a CPU rasteriser, which a run can know without
     * paying for a context (LLVM's 55 MB and a quarter of a second on llvmpipe).
     */
    public static boolean gpuPresent() {
        java.io.File[] nodes = new java.io.File("/dev/dri").listFiles((dir, name) -> name.startsWith("renderD"));
        return (nodes != null && nodes.length > 0) || new java.io.File("/dev/nvidia0").exists();
    }

    /** Whether the GL rasterises on the CPU (Mesa llvmpipe or softpipe, SwiftShader) rather than on a GPU. */
    public boolean rasterisesOnCpu() {
        String r = renderer.toLowerCase(java.util.Locale.ROOT);
        return r.contains("llvmpipe") || r.contains("softpipe") || r.contains("swiftshader") || r.contains("swrast");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() == owner) {
            GL.setCapabilities(null);
            eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        }
        eglDestroyContext(display, context);
        // The display is left initialised: EGL displays are per process and another HeadlessGl may share it.
    }

    private static long surfacelessDisplay() {
        long getPlatformDisplay;
        try {
            // The EXT entry point is looked up by hand: LWJGL only binds it when the client extension
            // string advertises it at load time, and calling through the raw pointer is always possible.
            getPlatformDisplay = eglGetProcAddress("eglGetPlatformDisplayEXT");
            if (getPlatformDisplay == 0L) {
                // EGL 1.5 core; same ABI when the attribute list is null.
                getPlatformDisplay = eglGetProcAddress("eglGetPlatformDisplay");
            }
        } catch (Throwable e) { // UnsatisfiedLinkError / ExceptionInInitializerError when libEGL is missing
            throw new GlUnavailableException("cannot load libEGL: " + e, e);
        }
        if (getPlatformDisplay == 0L) {
            throw new GlUnavailableException("libEGL has no eglGetPlatformDisplay(EXT)");
        }
        long display = JNI.invokePPP(EGL_PLATFORM_SURFACELESS_MESA, 0L, 0L, getPlatformDisplay);
        if (display == EGL_NO_DISPLAY) {
            throw new GlUnavailableException("no EGL surfaceless (Mesa) display: " + eglErrorName());
        }
        return display;
    }

    private static long chooseConfig(long display, MemoryStack stack) {
        // Surfaceless Mesa exposes configs with EGL_PBUFFER_BIT; fall back to any surface type.
        int[] surfaceTypes = {EGL_PBUFFER_BIT, 0};
        for (int surfaceType : surfaceTypes) {
            IntBuffer attributes = stack.ints(
                    EGL_SURFACE_TYPE, surfaceType,
                    EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                    EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8,
                    EGL_NONE);
            PointerBuffer configs = stack.mallocPointer(1);
            IntBuffer count = stack.mallocInt(1);
            if (eglChooseConfig(display, attributes, configs, count) && count.get(0) > 0) {
                return configs.get(0);
            }
        }
        eglTerminate(display);
        throw new GlUnavailableException("no EGL config renders desktop OpenGL: " + eglErrorName());
    }

    private static long createCoreContext(long display, long config, MemoryStack stack) {
        for (int[] version : VERSIONS) {
            IntBuffer attributes = stack.ints(
                    EGL_CONTEXT_MAJOR_VERSION, version[0],
                    EGL_CONTEXT_MINOR_VERSION, version[1],
                    EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                    EGL_NONE);
            long context = eglCreateContext(display, config, EGL_NO_CONTEXT, attributes);
            if (context != EGL_NO_CONTEXT) {
                return context;
            }
        }
        String error = eglErrorName();
        eglTerminate(display);
        throw new GlUnavailableException("cannot create an OpenGL 3.3+ core context: " + error);
    }

    /**
     * LWJGL would otherwise load GL through libGL.so.1 and GLX, which a headless box may lack; Mesa's
     * eglGetProcAddress returns every GL entry point (EGL_KHR_get_all_proc_addresses).
     */
    public static synchronized void loadGlFunctions() {
        Configuration.OPENGL_EXPLICIT_INIT.set(true);
        if (GL.getFunctionProvider() == null) {
            GL.create(EGL.getFunctionProvider());
        }
    }

    private static String eglErrorName() {
        int error = eglGetError();
        return switch (error) {
            case EGL_SUCCESS -> "EGL_SUCCESS";
            case EGL_NOT_INITIALIZED -> "EGL_NOT_INITIALIZED";
            case EGL_BAD_ACCESS -> "EGL_BAD_ACCESS";
            case EGL_BAD_ALLOC -> "EGL_BAD_ALLOC";
            case EGL_BAD_ATTRIBUTE -> "EGL_BAD_ATTRIBUTE";
            case EGL_BAD_CONFIG -> "EGL_BAD_CONFIG";
            case EGL_BAD_CONTEXT -> "EGL_BAD_CONTEXT";
            case EGL_BAD_DISPLAY -> "EGL_BAD_DISPLAY";
            case EGL_BAD_MATCH -> "EGL_BAD_MATCH";
            case EGL_BAD_PARAMETER -> "EGL_BAD_PARAMETER";
            default -> String.format("EGL error 0x%04X", error);
        };
    }
}
