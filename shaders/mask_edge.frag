#version 330 core
// Edge feather, at mask resolution, on the soft-thresholded mask (mask_temporal.frag's second
// output). A Gaussian of featherSigma mask texels widens the edge again, evenly, then the
// direction moves the ramp: inward (0) puts it wholly inside the person, so the old background
// never shows outside them; centred (1) leaves it straddling the edge; outward (2) outside.
// The guide colour (rgb of the state) is passed through for the guided upsampling that follows.
//
// Cost: the 2-D Gaussian is a product of 1-D ones, and each 1-D tap sits between two texels where
// bilinear filtering weighs them as the Gaussian does (the centre texel is split between two taps
// when the radius is odd), so a radius-r kernel is (r+1)^2 fetches instead of (2r+1)^2.
out vec4 fragColor;

// TAPS (1-D taps, 0 = no feather) is #defined by EdgePass: a constant, so the loops unroll.
const int MAX_TAPS = 9;      // EdgePass.MAX_TAPS

uniform sampler2D state;       // rgb = guide colour
uniform sampler2D thresholded; // r = soft-thresholded mask, bilinear
uniform float offsets[MAX_TAPS]; // in texels from the centre
uniform float weights[MAX_TAPS]; // normalised 1-D weights
uniform int direction;         // 0 inward, 1 centred, 2 outward

void main() {
    ivec2 p = ivec2(gl_FragCoord.xy);
    vec3 guide = texelFetch(state, p, 0).rgb;
    float m;
    if (TAPS == 0) {
        m = texelFetch(thresholded, p, 0).r;
    } else {
        vec2 texel = 1.0 / vec2(textureSize(thresholded, 0));
        m = 0.0;
        for (int j = 0; j < TAPS; ++j) {
            float row = 0.0;
            for (int i = 0; i < TAPS; ++i) {
                row += weights[i] * textureLod(thresholded, (gl_FragCoord.xy + vec2(offsets[i], offsets[j])) * texel, 0.0).r;
            }
            m += weights[j] * row;
        }
        // A blurred hard edge is 0.5 on the edge itself: move that ramp in, or out, by remapping.
        if (direction == 0) {
            m = clamp(2.0 * m - 1.0, 0.0, 1.0);
        } else if (direction == 2) {
            m = clamp(2.0 * m, 0.0, 1.0);
        }
    }
    fragColor = vec4(guide, m);
}
