#version 330 core
// YUV 4:2:0 for the encoder, second of two passes (see yuv420_luma.frag): the U and V planes,
// BT.601 limited range, into rows HEIGHT.. of the same target (the viewport starts there). A
// chroma row is WIDTH/2 bytes, so each target row holds two: U's HEIGHT/2 rows, then V's (V may
// start half-way along a target row). Each sample is the mean colour of its 2x2 block of pixels:
// one bilinear fetch at the block's centre. Four bytes per fragment.
out vec4 fragColor;

uniform sampler2D frame;     // the composited frame, frame size, linear filtering

const vec3 BLUE_DIFFERENCE = vec3(-0.168736, -0.331264, 0.5);
const vec3 RED_DIFFERENCE = vec3(0.5, -0.418688, -0.081312);
const int ROW_TEXELS = WIDTH / 8; // texels per chroma row

void main() {
    // Selects rather than branches, and no integer division: llvmpipe has no vector divide.
    ivec2 texel = ivec2(gl_FragCoord.xy) - ivec2(0, HEIGHT);
    bool second = texel.x >= ROW_TEXELS;
    int row = 2 * texel.y + (second ? 1 : 0);
    bool red = row >= HEIGHT / 2;
    vec2 block = vec2(4 * (texel.x - (second ? ROW_TEXELS : 0)), row - (red ? HEIGHT / 2 : 0));
    vec3 weights = red ? RED_DIFFERENCE : BLUE_DIFFERENCE;
    vec2 at = (2.0 * block + 1.0) / vec2(WIDTH, HEIGHT);
    vec2 step = vec2(2.0 / WIDTH, 0.0);
    vec4 c = vec4(dot(textureLod(frame, at, 0.0).rgb, weights), dot(textureLod(frame, at + step, 0.0).rgb, weights),
                  dot(textureLod(frame, at + 2.0 * step, 0.0).rgb, weights),
                  dot(textureLod(frame, at + 3.0 * step, 0.0).rgb, weights));
    fragColor = (128.0 + 224.0 * c) / 255.0;
}
