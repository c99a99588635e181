#version 330 core
// Edge shaping, at mask resolution, on the temporally smoothed mask (alpha of the input).
// 1. Soft threshold: smoothstep(low, high, m) turns the network's wide ramp into a crisp edge.
// 2. Feather: a Gaussian of featherSigma mask texels widens the edge again, evenly, then the
//    direction moves the ramp: inward (0) puts it wholly inside the person, so the old background
//    never shows outside them; centred (1) leaves it straddling the edge; outward (2) outside.
// The guide colour (rgb) is passed through for the guided upsampling that follows.
out vec4 fragColor;

const int MAX_RADIUS = 8;

uniform sampler2D state;     // rgb = guide colour, a = smoothed mask
uniform float low;
uniform float high;
uniform int featherRadius;   // ceil(1.5 sigma) mask texels, at most MAX_RADIUS; 0 = no feather
// The 1-D Gaussian weight at offset i is q^(i*i), q = exp(-1 / (2 sigma^2)); stepping from i to
// i+1 multiplies it by q^(2i+1), and that factor by q^2: two multiplies a tap instead of an exp.
uniform float firstWeight;   // q^(radius^2), the weight at -radius
uniform float firstStep;     // q^(1 - 2 radius)
uniform float stepStep;      // q^2
uniform float invTotal;      // 1 / (sum of the 2-D weights)
uniform int direction;       // 0 inward, 1 centred, 2 outward

float shaped(ivec2 p, ivec2 size) {
    float m = texelFetch(state, clamp(p, ivec2(0), size - 1), 0).a;
    return smoothstep(low, high, m);
}

void main() {
    ivec2 p = ivec2(gl_FragCoord.xy);
    ivec2 size = textureSize(state, 0);
    vec4 centre = texelFetch(state, p, 0);
    float m;
    if (featherRadius == 0) {
        m = shaped(p, size);
    } else {
        // The 2-D Gaussian is the product of two 1-D ones.
        m = 0.0;
        float wy = firstWeight;
        float sy = firstStep;
        for (int j = -featherRadius; j <= featherRadius; ++j) {
            float row = 0.0;
            float wx = firstWeight;
            float sx = firstStep;
            for (int i = -featherRadius; i <= featherRadius; ++i) {
                row += wx * shaped(p + ivec2(i, j), size);
                wx *= sx;
                sx *= stepStep;
            }
            m += wy * row;
            wy *= sy;
            sy *= stepStep;
        }
        m *= invTotal;
        // A blurred hard edge is 0.5 on the edge itself: move that ramp in, or out, by remapping.
        if (direction == 0) {
            m = clamp(2.0 * m - 1.0, 0.0, 1.0);
        } else if (direction == 2) {
            m = clamp(2.0 * m, 0.0, 1.0);
        }
    }
    fragColor = vec4(centre.rgb, m);
}
