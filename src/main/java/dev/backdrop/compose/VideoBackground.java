package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A background video on the GL: each newly decoded frame is uploaded (at the video's size) and fitted
 * to the output frame once, into a frame-sized texture the blend reads. The video's time 0 is the
 * first output frame shown since the start or {@link #restart}.
 */
final class VideoBackground implements BackgroundLayer {

    private final BackgroundVideo video;
    private final Texture decoded;
    private final BackgroundFitPass fit;
    private final float[] fitting;
    private final int borderColour;
    private final RenderTarget fitted;
    private final Consumer<ByteBuffer> upload;
    private final GlResources resources = new GlResources();
    private long originMicros = Long.MIN_VALUE;

    /** Takes the decoder; on failure part-way closes what it made (the decoder included). */
    VideoBackground(BackgroundVideo video, int width, int height, float[] fitting, int borderColour, Path shaderDir) {
        this.video = resources.add(video);
        this.fitting = fitting;
        this.borderColour = borderColour;
        // Mipmaps only where the video is much larger than the frame: they cost a pass per frame.
        boolean shrinks = video.width() > 2 * width || video.height() > 2 * height;
        try {
            decoded = resources.add(new Texture(GL_RGB8, video.width(), video.height(),
                    shrinks ? GL_LINEAR_MIPMAP_LINEAR : GL_LINEAR));
            fit = resources.add(new BackgroundFitPass(shaderDir));
            fitted = resources.add(new RenderTarget(GL_RGBA8, width, height));
        } catch (RuntimeException | Error e) {
            resources.closeAll();
            throw e;
        }
        int videoWidth = video.width();
        int videoHeight = video.height();
        upload = pixels -> {
            decoded.bind(0);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, videoWidth, videoHeight, GL_BGR, GL_UNSIGNED_BYTE, pixels);
            if (shrinks) {
                glGenerateMipmap(GL_TEXTURE_2D);
            }
        };
        // Until the first frame is decoded the background is the border colour.
        fitted.bind();
        glClearColor(((borderColour >> 16) & 0xFF) / 255f, ((borderColour >> 8) & 0xFF) / 255f,
                (borderColour & 0xFF) / 255f, 1f);
        glClear(GL_COLOR_BUFFER_BIT);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    @Override
    public Kind kind() {
        return Kind.REPLACEMENT;
    }

    /** Brings the background to the frame shown at this output time: a new video frame is uploaded and fitted. */
    @Override
    public Texture draw(Texture frame, Texture shaped, long timestampMicros, FullscreenTriangle triangle) {
        if (originMicros == Long.MIN_VALUE) {
            originMicros = timestampMicros;
        }
        if (video.advanceTo(Math.max(0, timestampMicros - originMicros), upload)) {
            fit.run(decoded, fitting, borderColour, fitted, triangle);
        }
        return fitted.texture;
    }

    @Override
    public void live(boolean live) {
        video.waitForFrames(!live);
    }

    /** The video starts over with the next frame shown. */
    @Override
    public void restart() {
        if (originMicros != Long.MIN_VALUE) {
            originMicros = Long.MIN_VALUE;
            video.rewind();
        }
    }

    @Override
    public void close() {
        resources.closeAll();
    }
}
