package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import dev.backdrop.config.Background;
import java.nio.file.Path;

/** A still image behind the person, fitted and resampled to the frame size once. */
final class ImageBackground implements BackgroundLayer {

    private final RenderTarget fitted;

    /** border: 0xRRGGBB where a {@link Background.Fit#FIT} image leaves the frame uncovered. */
    ImageBackground(BackgroundImage image, Background.Fit fit, int border, int width, int height, Path shaderDir,
                    FullscreenTriangle triangle) {
        fitted = new RenderTarget(GL_RGBA8, width, height);
        try (Texture source = upload(image); BackgroundFitPass pass = new BackgroundFitPass(shaderDir)) {
            pass.run(source, ImageFit.of(fit, width, height, image.width(), image.height()), border, fitted, triangle);
            glFinish(); // done with the source before it is deleted
        } catch (RuntimeException | Error e) {
            fitted.close();
            throw e;
        }
    }

    private static Texture upload(BackgroundImage image) {
        // Mipmapped so an image much larger than the frame is averaged down instead of aliasing.
        Texture texture = new Texture(GL_RGB8, image.width(), image.height(), GL_LINEAR_MIPMAP_LINEAR);
        texture.bind(0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, image.width(), image.height(), GL_BGR, GL_UNSIGNED_BYTE, image.pixels());
        glGenerateMipmap(GL_TEXTURE_2D);
        return texture;
    }

    @Override
    public Kind kind() {
        return Kind.REPLACEMENT;
    }

    @Override
    public Texture draw(Texture frame, Texture shaped, long timestampMicros, FullscreenTriangle triangle) {
        return fitted.texture;
    }

    @Override
    public void close() {
        fitted.close();
    }
}
