#version 330 core
// YUV 4:2:0 for the encoder, first of two passes: the Y plane. The frame goes to the encoder as
// I420 (the Y plane, then U, then V, each tightly packed) in BT.601 limited range (Y 16..235,
// U and V 16..240 around 128): the matrix and range swscale uses by default for BGR -> YUV, and
// what decoders assume for the untagged H.264 Backdrop writes, so colours are as on the BGR path.
// Both passes draw into one RGBA8 target, WIDTH/4 texels wide and HEIGHT*3/2 rows, whose bytes in
// order are the I420 buffer, so one glReadPixels returns it as it is (1.5 bytes a pixel). Four
// bytes per fragment: this pass fills rows 0..HEIGHT-1, one row of Y each; yuv420_chroma.frag
// the rest. WIDTH and HEIGHT are #defined by the compositor. (One pass for both planes, with a
// branch on the row, cost llvmpipe over twice as much: it runs both sides of a branch.)
out vec4 fragColor;

uniform sampler2D frame;     // the composited frame, frame size

const vec3 LUMA = vec3(0.299, 0.587, 0.114);

float luma(ivec2 p) {
    return dot(texelFetch(frame, p, 0).rgb, LUMA);
}

void main() {
    ivec2 p = ivec2(gl_FragCoord.xy) * ivec2(4, 1);
    vec4 y = vec4(luma(p), luma(p + ivec2(1, 0)), luma(p + ivec2(2, 0)), luma(p + ivec2(3, 0)));
    fragColor = (16.0 + 219.0 * y) / 255.0;
}
