package dev.backdrop.segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * The mask output tensor -> person probability (or alpha) in [0,1] per pixel of the model's input: a
 * sigmoid or alpha output is clamped, a two-channel softmax gives its person channel (or the softmax of its
 * logits), and an output smaller than the input is scaled up bilinearly. Every array and Mat is kept for the
 * next frame of the same sizes.
 */
final class MaskDecoder implements AutoCloseable {
    private final ModelDescriptor descriptor;
    private final String outputName;
    private float[] raw = new float[0];
    private float[] prob = new float[0];
    private float[] atInput = new float[0];
    // Bilinear up-scaling, from the output's size to the input's.
    private FloatBuffer resizeSrc;
    private FloatBuffer resizeDst;
    private Mat srcMat;
    private Mat dstMat;
    private Size dstSize;

    MaskDecoder(ModelDescriptor descriptor, String outputName) {
        this.descriptor = descriptor;
        this.outputName = outputName;
    }

    /** The output as inW*inH values in [0,1], rows top-first; the array is reused by the next call. */
    float[] decode(Tensor out, int inW, int inH) {
        long[] s = out.shape().asArray();
        String src = descriptor.source().toString();
        if (!(out instanceof TFloat32) || s.length < 3 || s.length > 4 || s[0] != 1) {
            throw new ModelException(src + ": output '" + outputName + "' is " + out.dataType() + " "
                    + Arrays.toString(s) + "; Backdrop needs float [1, height, width, channels]");
        }
        boolean nchw = descriptor.nchw() && s.length == 4;
        int oh = (int) (nchw ? s[2] : s[1]);
        int ow = (int) (nchw ? s[3] : s[2]);
        int c = s.length == 3 ? 1 : (int) (nchw ? s[1] : s[3]);
        ModelDescriptor.OutputKind kind = descriptor.outputKind();
        int need = kind == ModelDescriptor.OutputKind.SOFTMAX ? 2 : 1;
        if (c != need) {
            throw new ModelException(src + ": output '" + outputName + "' has " + c + " channel(s) "
                    + Arrays.toString(s) + ", but output.kind " + kind.name().toLowerCase() + " needs " + need);
        }
        int n = ow * oh;
        if (raw.length != n * c) {
            raw = new float[n * c];
        }
        if (prob.length != n) {
            prob = new float[n];
        }
        ((TFloat32) out).asRawTensor().data().asFloats().read(raw);
        if (kind == ModelDescriptor.OutputKind.SOFTMAX) {
            softmax(n, nchw);
        } else {
            for (int i = 0; i < n; i++) {
                float v = raw[i];
                prob[i] = v < 0 ? 0 : v > 1 ? 1 : v;
            }
        }
        return toInputSize(ow, oh, inW, inH);
    }

    /** The person channel as it is when the two channels are probabilities, else the softmax of the logits. */
    private void softmax(int n, boolean nchw) {
        int pc = descriptor.personChannel();
        boolean probabilities = true;
        for (int i = 0; i < n && probabilities; i++) {
            float a = nchw ? raw[i] : raw[i * 2];
            float b = nchw ? raw[n + i] : raw[i * 2 + 1];
            probabilities = a >= -1e-4f && b >= -1e-4f && Math.abs(a + b - 1) < 1e-3f;
        }
        for (int i = 0; i < n; i++) {
            float p = nchw ? raw[pc * n + i] : raw[i * 2 + pc];
            float q = nchw ? raw[(1 - pc) * n + i] : raw[i * 2 + 1 - pc];
            prob[i] = probabilities ? p : (float) (1 / (1 + Math.exp(q - p)));
        }
    }

    private float[] toInputSize(int ow, int oh, int inW, int inH) {
        if (ow == inW && oh == inH) {
            return prob;
        }
        if (srcMat == null || srcMat.cols() != ow || srcMat.rows() != oh || dstMat.cols() != inW
                || dstMat.rows() != inH) {
            releaseResize();
            resizeSrc = ByteBuffer.allocateDirect(ow * oh * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            resizeDst = ByteBuffer.allocateDirect(inW * inH * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            srcMat = new Mat(oh, ow, opencv_core.CV_32FC1, new FloatPointer(resizeSrc));
            dstMat = new Mat(inH, inW, opencv_core.CV_32FC1, new FloatPointer(resizeDst));
            dstSize = new Size(inW, inH);
            atInput = new float[inW * inH];
        }
        resizeSrc.put(0, prob, 0, ow * oh);
        opencv_imgproc.resize(srcMat, dstMat, dstSize, 0, 0, opencv_imgproc.INTER_LINEAR);
        resizeDst.get(0, atInput, 0, inW * inH);
        return atInput;
    }

    private void releaseResize() {
        if (srcMat != null) {
            srcMat.close();
            dstMat.close();
            dstSize.close();
            srcMat = null;
        }
    }

    @Override
    public void close() {
        releaseResize();
    }
}
