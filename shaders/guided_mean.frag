#version 330 core
// Guided filter, second half, at mask size: each texel's coefficients averaged over the same
// window, since every window that covers a pixel has a say in it. guided_mask.glsl then reads them
// bilinearly at frame resolution.
// RADIUS is #defined by GuidedFilterPass.
out vec4 coefficients;           // rgb = mean a, a = mean b
uniform sampler2D perWindow;     // guided_coefficients.frag's output
void main() {
    ivec2 p = ivec2(gl_FragCoord.xy);
    ivec2 last = textureSize(perWindow, 0) - 1;
    vec4 sum = vec4(0.0);
    for (int j = -RADIUS; j <= RADIUS; ++j) {
        for (int i = -RADIUS; i <= RADIUS; ++i) {
            sum += texelFetch(perWindow, clamp(p + ivec2(i, j), ivec2(0), last), 0);
        }
    }
    coefficients = sum / float((2 * RADIUS + 1) * (2 * RADIUS + 1));
}
