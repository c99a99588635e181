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
uniform float featherSigma;  // in mask texels; 0 = no feather
uniform int featherRadius;   // ceil(2 sigma), at most MAX_RADIUS
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
        float sum = 0.0;
        float total = 0.0;
        float k = -0.5 / (featherSigma * featherSigma);
        for (int j = -featherRadius; j <= featherRadius; ++j) {
            for (int i = -featherRadius; i <= featherRadius; ++i) {
                float w = exp(float(i * i + j * j) * k);
                sum += w * shaped(p + ivec2(i, j), size);
                total += w;
            }
        }
        m = sum / total;
        // A blurred hard edge is 0.5 on the edge itself: move that ramp in, or out, by remapping.
        if (direction == 0) {
            m = clamp(2.0 * m - 1.0, 0.0, 1.0);
        } else if (direction == 2) {
            m = clamp(2.0 * m, 0.0, 1.0);
        }
    }
    fragColor = vec4(centre.rgb, m);
}
