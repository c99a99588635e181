package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC4;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGBA;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.sepFilter2D;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import dev.backdrop.capture.Bt601;
import dev.backdrop.capture.FramePlanes;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.config.Background;
import dev.backdrop.config.Blur;
import dev.backdrop.config.ComposeSettings;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * What {@link CpuCompositor} puts behind the person, one class per kind as {@link BackgroundLayer}
 * on the GL: a frame-sized picture in the frame's layout (alpha 0, as the GL's background tiles
 * write), made per frame for a blur or a video and once for an image or a colour; or none, where
 * the frame itself stays behind (transparent output, no blur).
 */
abstract class CpuBackground implements AutoCloseable {

    final BackgroundLayer.Kind kind;
    /**
     * Frame-sized in the frame's layout, rows padded as the frame's ({@link PixelLayout#stride}), so
     * a row of background copies straight across; in I420, the three planes one after another as
     * the frame's. Null for {@link BackgroundLayer.Kind#FRAME}.
     */
    final ByteBuffer pixels;
    /** {@link #pixels} as OpenCV sees it: one Mat, or I420's Y, U and V planes; null with no pixels. */
    final Mat[] planes;
    final PixelLayout layout;

    CpuBackground(BackgroundLayer.Kind kind, int width, int height, PixelLayout layout) {
        this.kind = kind;
        this.layout = layout;
        pixels = kind == BackgroundLayer.Kind.FRAME ? null : ByteBuffer.allocateDirect(layout.frameBytes(width, height));
        planes = pixels == null ? null : FramePlanes.wrap(pixels, width, height, layout);
    }

    /** The frame itself stays behind the person: transparent output, or no blur. */
    static final class FrameItself extends CpuBackground {
        FrameItself(int width, int height, PixelLayout layout) {
            super(BackgroundLayer.Kind.FRAME, width, height, layout);
        }
    }

    /**
     * What of this frame's background needs the frame alone, before the mask is refined: the blur
     * shrinks the frame here. Read front to back, the frame comes into the cache for the refiner's
     * scattered taps that follow (the guide: 0.20-0.22 ms a 720p frame against 0.35-0.52 read cold).
     * frame: as {@link #draw} takes it.
     */
    void readFrame(Mat[] frame) {
    }

    /**
     * Makes this frame's background, after {@link #readFrame}. frame: the frame as one Mat, or its
     * I420 planes; shaped: the shaped mask at working size.
     */
    void draw(Mat[] frame, Mat shaped, long timestampMicros) {
    }

    /** Whether {@link #draw} makes the background from the frame and the mask alone (not from the time). */
    boolean fromPictureAlone() {
        return false;
    }

    /** The next frame starts a new clip (a background video starts over). */
    void restart() {
    }

    /** Live: never wait for a background video's decoder. */
    void live(boolean live) {
    }

    @Override
    public void close() {
        if (planes != null) {
            for (Mat plane : planes) {
                plane.close();
            }
        }
    }

    /** The background for these settings, as {@link BackgroundLayer#choose} picks it on the GL. */
    static CpuBackground choose(ComposeSettings settings, BackgroundFile file, int width, int height, PixelLayout layout) {
        Background b = settings.background();
        if (b.transparent()) {
            return new FrameItself(width, height, layout);
        }
        if (file == null) {
            file = BackgroundFile.of(b);
        }
        int border = Math.max(0, b.solidColour());
        if (file instanceof BackgroundFile.Image image) {
            Fitted fitted = new Fitted(BackgroundLayer.Kind.REPLACEMENT, width, height, layout, border);
            try {
                fitted.fit(image.pixels().pixels(), image.pixels().width(), image.pixels().height(),
                        ImageFit.of(b.fit(), width, height, image.pixels().width(), image.pixels().height()));
            } catch (RuntimeException e) {
                fitted.close();
                throw e;
            }
            return fitted;
        }
        if (file instanceof BackgroundFile.Video video) {
            return new Video(BackgroundVideo.open(video.file(), true), b.fit(), width, height, layout, border);
        }
        if (b.solidColour() >= 0) {
            Fitted solid = new Fitted(BackgroundLayer.Kind.SOLID, width, height, layout, b.solidColour());
            solid.fillBorder();
            return solid;
        }
        return settings.blurs() ? new Blurred(settings.blur(), width, height, layout) : new FrameItself(width, height, layout);
    }

    /**
     * The halo-free blur of {@link BlurredBackground}: the frame shrunk to the blur's size (a box
     * mean), weighted by background-ness, Gaussian-blurred there, divided by the blurred weight,
     * and stretched back bilinearly.
     */
    static final class Blurred extends CpuBackground {
        /** Bytes per small pixel in each of the small planes: the frame's channels, or 1 for each of I420's planes. */
        private final int channels;
        /** The frame shrunk to the blur's size, and the blurred background there: one Mat, or Y, U, V. */
        private final Mat[] small;
        private final BoxShrink[] shrink;
        private final ByteBuffer[] smallPixels;
        private final Mat weights;
        private final Mat premultiplied;
        private final Mat blurred;
        /** Views of the three Mats' floats, made once (a view per frame allocates). */
        private final FloatBuffer weightValues;
        private final FloatBuffer premultipliedValues;
        private final FloatBuffer blurredValues;
        private final Mat kernelX;
        private final Mat kernelY;
        private final Mat[] smallBehind;
        private final ByteBuffer[] behindPixels;
        private final Point anchor = new Point(-1, -1);
        private final int texels;

        Blurred(Blur settings, int width, int height, PixelLayout layout) {
            super(BackgroundLayer.Kind.BLURRED, width, height, layout);
            boolean yuv = layout == PixelLayout.I420;
            channels = yuv ? 1 : layout.channels;
            float scale = BlurredBackground.scale(settings.sigma(), settings.scale());
            int sw = Math.max(1, Math.round(width * scale));
            int sh = Math.max(1, Math.round(height * scale));
            texels = sw * sh;
            int count = yuv ? 3 : 1;
            small = new Mat[count];
            shrink = new BoxShrink[count];
            smallPixels = new ByteBuffer[count];
            smallBehind = new Mat[count];
            behindPixels = new ByteBuffer[count];
            for (int p = 0; p < count; p++) {
                // I420's chroma planes are already the mean of each 2x2 block: they shrink from half size.
                int from = p == 0 ? 1 : 2;
                small[p] = new Mat(sh, sw, CV_8UC(channels));
                shrink[p] = new BoxShrink(width / from, height / from, channels, sw, sh);
                smallPixels[p] = small[p].createBuffer();
                smallBehind[p] = new Mat(sh, sw, CV_8UC(channels));
                behindPixels[p] = smallBehind[p].createBuffer();
            }
            weights = new Mat(sh, sw, CV_32FC1);
            premultiplied = new Mat(sh, sw, CV_32FC4);
            blurred = new Mat(sh, sw, CV_32FC4);
            weightValues = weights.createBuffer();
            premultipliedValues = premultiplied.createBuffer();
            blurredValues = blurred.createBuffer();
            kernelX = kernel(settings.sigma() * sw / width);
            kernelY = kernel(settings.sigma() * sh / height);
        }

        @Override
        boolean fromPictureAlone() {
            return true;
        }

        /** Channel c of small pixel i. */
        private int smallValue(int i, int c) {
            return small.length == 1 ? smallPixels[0].get(i * channels + c) & 0xFF : smallPixels[c].get(i) & 0xFF;
        }

        /** GaussianKernel's weights, texel by texel (its bilinear pairs merge exactly these). */
        private static Mat kernel(float sigma) {
            return GaussianKernel.texelKernel(sigma, new GaussianKernel(sigma).radius);
        }

        @Override
        void readFrame(Mat[] frame) {
            for (int plane = 0; plane < small.length; plane++) {
                shrink[plane].run(frame[plane], small[plane]);
            }
        }

        @Override
        void draw(Mat[] frame, Mat shaped, long timestampMicros) {
            resize(shaped, weights, weights.size(), 0, 0, INTER_LINEAR);
            FloatBuffer w = weightValues;
            FloatBuffer p = premultipliedValues;
            for (int i = 0; i < texels; i++) {
                float b = 1f - w.get(i);
                for (int c = 0; c < 3; c++) {
                    p.put(i * 4 + c, smallValue(i, c) * b);
                }
                p.put(i * 4 + 3, b);
            }
            sepFilter2D(premultiplied, blurred, CV_32F, kernelX, kernelY, anchor, 0, BORDER_REPLICATE);
            FloatBuffer s = blurredValues;
            for (int i = 0; i < texels; i++) {
                float a = s.get(i * 4 + 3);
                for (int c = 0; c < 3; c++) {
                    // Deep inside the person no background was seen nearby: the person's own colour,
                    // which the mask hides anyway (blend.frag's fallback).
                    int v = a > 1e-3f ? (int) (s.get(i * 4 + c) / a + 0.5f) : smallValue(i, c);
                    if (small.length == 1) {
                        behindPixels[0].put(i * channels + c, (byte) Math.min(255, v));
                    } else {
                        behindPixels[c].put(i, (byte) Math.min(255, v));
                    }
                }
                if (channels == 4) {
                    behindPixels[0].put(i * 4 + 3, (byte) 0);
                }
            }
            for (int plane = 0; plane < small.length; plane++) {
                resize(smallBehind[plane], planes[plane], planes[plane].size(), 0, 0, INTER_LINEAR);
            }
        }

        @Override
        public void close() {
            for (int plane = 0; plane < small.length; plane++) {
                shrink[plane].close();
                small[plane].close();
                smallBehind[plane].close();
            }
            for (Mat m : new Mat[] {weights, premultiplied, blurred, kernelX, kernelY}) {
                m.close();
            }
            anchor.close();
            super.close();
        }
    }

    /** An image or a colour, fitted to the frame once; or a video's frames, fitted as they come. */
    static class Fitted extends CpuBackground {
        private final int channels;
        /** What is fitted and filled: {@link #planes}' one Mat, or for I420 an RGBA picture converted after. */
        private final Mat picture;
        /** The border colour in the frame's channel order, alpha 0. */
        private final Scalar border;
        /** The image in the frame's channel order with alpha, shrunk when large, and fitted: made once, reused per video frame. */
        private final Mat ordered = new Mat();
        private final Mat shrunk = new Mat();
        private final Mat fitted = new Mat();
        private final Mat mapping = new Mat(2, 3, CV_32F);
        /** Frame-sized, colour bits all set and alpha clear: ANDed over a fitted picture; made on the first fit. */
        private Mat noAlpha;

        /** border: 0xRRGGBB, where the picture does not cover the frame (or everywhere, for a colour). */
        Fitted(BackgroundLayer.Kind kind, int width, int height, PixelLayout layout, int border) {
            super(kind, width, height, layout);
            picture = layout == PixelLayout.I420 ? new Mat(height, width, CV_8UC(4)) : planes[0];
            this.channels = picture.channels();
            this.border = channels == 4 ? new Scalar(border >> 16 & 0xFF, border >> 8 & 0xFF, border & 0xFF, 0)
                    : new Scalar(border & 0xFF, border >> 8 & 0xFF, border >> 16 & 0xFF, 0);
        }

        void fillBorder() {
            picture.put(border);
            toLayout();
        }

        /** I420: the RGBA picture into the planes. */
        private void toLayout() {
            if (layout == PixelLayout.I420) {
                Bt601.fromRgba(picture.createBuffer(), (int) picture.step(), picture.cols(), picture.rows(), pixels);
            }
        }

        /**
         * bgr: tightly packed BGR rows, w x h; fitting: background_fit.frag's frame-uv to image-uv
         * scale and offset. Sampled bilinearly at exactly the shader's positions, after an area-mean
         * shrink where the image is larger than the frame (the shader samples its mipmaps there,
         * trilinearly: both average, but sharp detail comes out a little different); the frame
         * outside the image takes the border colour.
         */
        void fit(ByteBuffer bgr, int w, int h, float[] fitting) {
            int width = picture.cols();
            int height = picture.rows();
            try (Mat source = new Mat(h, w, CV_8UC(3), new org.bytedeco.javacpp.BytePointer(bgr), w * 3L)) {
                cvtColor(source, ordered, channels == 4 ? COLOR_BGR2RGBA : COLOR_BGR2BGRA);
            }
            // Frame pixels per image pixel along each axis; below 1 the image is first shrunk to that.
            double kx = width / (fitting[0] * (double) w);
            double ky = height / (fitting[1] * (double) h);
            Mat image = ordered;
            if (kx < 1 || ky < 1) {
                int sw = Math.max(1, (int) Math.round(w * Math.min(1, kx)));
                int sh = Math.max(1, (int) Math.round(h * Math.min(1, ky)));
                try (Size size = new Size(sw, sh)) {
                    resize(ordered, shrunk, size, 0, 0, INTER_AREA);
                }
                image = shrunk;
            }
            int iw = image.cols();
            int ih = image.rows();
            // Image pixel for frame pixel x: ((x + 0.5) / width * scale + offset) * iw - 0.5.
            FloatBuffer m = mapping.createBuffer();
            float ax = fitting[0] * iw / width;
            float ay = fitting[1] * ih / height;
            m.put(0, ax).put(1, 0).put(2, 0.5f * ax + fitting[2] * iw - 0.5f);
            m.put(3, 0).put(4, ay).put(5, 0.5f * ay + fitting[3] * ih - 0.5f);
            try (Size size = new Size(width, height); Scalar none = new Scalar()) {
                warpAffine(image, fitted, mapping, size, INTER_LINEAR | WARP_INVERSE_MAP, BORDER_REPLICATE, none);
            }
            if (channels == 3) {
                cvtColor(fitted, picture, COLOR_BGRA2BGR);
            } else {
                fitted.copyTo(picture);
            }
            clearAlpha();
            fillOutside(fitting);
            toLayout();
        }

        /** Alpha 0, as the GL's background tiles write it. */
        private void clearAlpha() {
            if (channels != 4) {
                return;
            }
            if (noAlpha == null) {
                noAlpha = new Mat(picture.rows(), picture.cols(), picture.type());
                try (Scalar keep = new Scalar(255, 255, 255, 0)) {
                    noAlpha.put(keep);
                }
            }
            bitwise_and(picture, noAlpha, picture);
        }

        /** Where the shader's image uv falls outside [0,1]: the border colour. */
        private void fillOutside(float[] fitting) {
            int width = picture.cols();
            int height = picture.rows();
            int[] xs = inside(fitting[0], fitting[2], width);
            int[] ys = inside(fitting[1], fitting[3], height);
            fillRect(0, 0, width, ys[0]);
            fillRect(0, ys[1], width, height - ys[1]);
            fillRect(0, 0, xs[0], height);
            fillRect(xs[1], 0, width - xs[1], height);
        }

        private void fillRect(int x, int y, int w, int h) {
            if (w > 0 && h > 0) {
                try (Rect r = new Rect(x, y, w, h); Mat band = picture.apply(r)) {
                    band.put(border);
                }
            }
        }

        @Override
        public void close() {
            for (Mat m : new Mat[] {ordered, shrunk, fitted, mapping, noAlpha}) {
                if (m != null) {
                    m.close();
                }
            }
            border.close();
            if (picture != planes[0]) {
                picture.close();
            }
            super.close();
        }

        /** The first frame pixel whose uv maps inside the image, and one past the last. */
        static int[] inside(float scale, float offset, int size) {
            int first = 0;
            while (first < size && (first + 0.5f) / size * scale + offset < 0) {
                first++;
            }
            int end = size;
            while (end > first && (end - 0.5f) / size * scale + offset > 1) {
                end--;
            }
            return new int[] {first, end};
        }
    }

    /** A background video: each newly decoded frame fitted to the frame, in step with the output's times. */
    static final class Video extends Fitted {
        private final BackgroundVideo video;
        private final float[] fitting;
        private final java.util.function.Consumer<ByteBuffer> fit;
        private long originMicros = Long.MIN_VALUE;

        Video(BackgroundVideo video, Background.Fit fit, int width, int height, PixelLayout layout, int border) {
            super(BackgroundLayer.Kind.REPLACEMENT, width, height, layout, border);
            this.video = video;
            this.fitting = ImageFit.of(fit, width, height, video.width(), video.height());
            this.fit = pixels -> fit(pixels, video.width(), video.height(), fitting);
            fillBorder(); // until the first frame is decoded
        }

        @Override
        void draw(Mat[] frame, Mat shaped, long timestampMicros) {
            if (originMicros == Long.MIN_VALUE) {
                originMicros = timestampMicros;
            }
            video.advanceTo(Math.max(0, timestampMicros - originMicros), fit);
        }

        @Override
        void restart() {
            if (originMicros != Long.MIN_VALUE) {
                originMicros = Long.MIN_VALUE;
                video.rewind();
            }
        }

        @Override
        void live(boolean live) {
            video.waitForFrames(!live);
        }

        @Override
        public void close() {
            video.close();
            super.close();
        }
    }
}
