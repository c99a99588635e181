#version 330 core
// One direction of a separable Gaussian; run once horizontally and once vertically. All four
// channels are blurred: the input is premultiplied by background weight (background_downsample).
// The normalised weights come from GaussianKernel.java. Each tap after the centre sits between
// two texels at the offset where bilinear filtering weighs them exactly as the Gaussian does, so
// a radius-r kernel costs r/2 + 1 fetches per side instead of r: llvmpipe is fetch-bound.
in vec2 uv;
out vec4 fragColor;

const int MAX_TAPS = 64;
// TAPS (used entries of offsets/weights after the centre) is #defined by GaussianBlurPass: a
// constant, so the loop unrolls (llvmpipe runs a uniform-bounded loop several times slower).

uniform sampler2D source;
uniform vec2 step;                  // one texel along the blur direction, in uv units
uniform float offsets[MAX_TAPS];    // in texels, > 0; mirrored for the other side
uniform float weights[MAX_TAPS];
uniform float centreWeight;

void main() {
    vec4 sum = centreWeight * texture(source, uv);
    for (int i = 0; i < TAPS; ++i) {
        vec2 offset = offsets[i] * step;
        sum += weights[i] * (texture(source, uv + offset) + texture(source, uv - offset));
    }
    fragColor = sum;
}
