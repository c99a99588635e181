#version 330 core
// The composited frame as planar YUV 4:2:0 for the encoder, in I420 order: the Y plane, then U,
// then V, each tightly packed. BT.601 limited range (Y 16..235, U and V 16..240 around 128): the
// matrix and range swscale uses by default for BGR -> YUV, and what the decoder assumes for the
// untagged H.264 Backdrop writes, so colours come out as on the BGR path.
// The target is RGBA8, WIDTH/4 texels wide and HEIGHT*3/2 rows: each fragment writes four
// consecutive bytes of the I420 buffer, so glReadPixels returns it as it is (1.5 bytes a pixel,
// a quarter of the fragments of a one-byte target). Chroma is the mean of each 2x2 block of
// pixels: one bilinear fetch at the block's centre. WIDTH (a multiple of 8) and HEIGHT (even)
// are #defined by the compositor.
out vec4 fragColor;

uniform sampler2D frame;     // the composited frame, frame size, linear filtering

const vec3 LUMA = vec3(0.299, 0.587, 0.114);
const vec3 BLUE_DIFFERENCE = vec3(-0.168736, -0.331264, 0.5);
const vec3 RED_DIFFERENCE = vec3(0.5, -0.418688, -0.081312);
const int LUMA_BYTES = WIDTH * HEIGHT;
const int CHROMA_WIDTH = WIDTH / 2;
const int CHROMA_BYTES = CHROMA_WIDTH * (HEIGHT / 2);

void main() {
    ivec2 texel = ivec2(gl_FragCoord.xy);
    int offset = (texel.y * (WIDTH / 4) + texel.x) * 4; // this fragment's first byte in the I420 buffer
    vec4 bytes;
    if (offset < LUMA_BYTES) {
        ivec2 p = ivec2(offset % WIDTH, offset / WIDTH);
        for (int i = 0; i < 4; i++) {
            bytes[i] = (16.0 + 219.0 * dot(texelFetch(frame, p + ivec2(i, 0), 0).rgb, LUMA)) / 255.0;
        }
    } else {
        int c = offset - LUMA_BYTES;
        bool red = c >= CHROMA_BYTES;
        c -= red ? CHROMA_BYTES : 0;
        vec3 weights = red ? RED_DIFFERENCE : BLUE_DIFFERENCE;
        ivec2 p = ivec2(c % CHROMA_WIDTH, c / CHROMA_WIDTH);
        for (int i = 0; i < 4; i++) {
            vec2 centre = vec2(2 * (p.x + i) + 1, 2 * p.y + 1) / vec2(WIDTH, HEIGHT);
            bytes[i] = (128.0 + 224.0 * dot(textureLod(frame, centre, 0.0).rgb, weights)) / 255.0;
        }
    }
    fragColor = bytes;
}
