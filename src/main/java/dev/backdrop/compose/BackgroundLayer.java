package dev.backdrop.compose;

import dev.backdrop.config.Background;
import dev.backdrop.config.ComposeSettings;

/**
 * What the blend puts behind the person: the blurred frame, an image, a video, a solid colour, or
 * the frame itself (transparent output, or no blur). Chosen once by {@link #choose} and swapped
 * whole when the user picks another; each kind is one class with its own GL objects.
 */
interface BackgroundLayer extends AutoCloseable {

    /** What a layer's texture is: which variant of blend.frag reads it, and whether light wrap applies. */
    enum Kind {
        /** The real background, blurred at reduced size. */
        BLURRED(BlendPass.BackgroundTexture.BLURRED, false),
        /** The frame itself, unchanged. */
        FRAME(BlendPass.BackgroundTexture.FRAME_SIZED, false),
        /** An image or video fitted to the frame's size. */
        REPLACEMENT(BlendPass.BackgroundTexture.FRAME_SIZED, true),
        /** A solid colour, 1x1. */
        SOLID(BlendPass.BackgroundTexture.SOLID, true);

        final BlendPass.BackgroundTexture texture;
        /** Something replaces the real background: what light wrap applies to. */
        final boolean replaces;

        Kind(BlendPass.BackgroundTexture texture, boolean replaces) {
            this.texture = texture;
            this.replaces = replaces;
        }
    }

    Kind kind();

    /**
     * Makes the background of the frame just uploaded and returns the texture the blend reads.
     * shaped: the shaped mask at mask size (a = person); timestampMicros: the frame's time.
     */
    Texture draw(Texture frame, Texture shaped, long timestampMicros, FullscreenTriangle triangle);

    /** The next frame starts a new clip (a background video starts over). */
    default void restart() {
    }

    /** Live: never wait for a background video's decoder (see {@link Compositor#backgroundVideoLive}). */
    default void live(boolean live) {
    }

    @Override
    void close();

    /**
     * Whether going from settings was to next needs a new layer (the current one being of kind
     * current): a file opened anew, another background, or, for a blur, another blur.
     */
    static boolean replacedBy(Kind current, ComposeSettings was, ComposeSettings next, BackgroundFile file) {
        return file != null || !next.background().equals(was.background())
                || (!current.replaces && !next.blur().equals(was.blur()));
    }

    /**
     * The layer for these settings at this frame size. file: the opened compose.background, or
     * null to open it here (when set).
     */
    static BackgroundLayer choose(ComposeSettings settings, BackgroundFile file, int width, int height,
                                  java.nio.file.Path shaderDir, FullscreenTriangle triangle) {
        Background b = settings.background();
        if (b.transparent()) {
            return new FrameBackground();
        }
        if (file == null) {
            file = BackgroundFile.of(b);
        }
        int border = Math.max(0, b.solidColour());
        if (file instanceof BackgroundFile.Image image) {
            return new ImageBackground(image.pixels(), b.fit(), border, width, height, shaderDir, triangle);
        }
        if (file instanceof BackgroundFile.Video video) {
            BackgroundVideo decoder = BackgroundVideo.open(video.file(), true);
            return new VideoBackground(decoder, width, height,
                    ImageFit.of(b.fit(), width, height, decoder.width(), decoder.height()), border, shaderDir);
        }
        if (b.solidColour() >= 0) {
            return new SolidBackground(b.solidColour());
        }
        return settings.blurs() ? new BlurredBackground(settings.blur(), width, height, shaderDir) : new FrameBackground();
    }
}
