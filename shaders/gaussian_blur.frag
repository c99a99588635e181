#version 330 core
// One direction of a separable Gaussian; run once horizontally and once vertically.
// Weights are computed here and normalised over the truncated kernel (radius ~3 sigma),
// so a flat image stays flat and the mean colour is preserved.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D source;
uniform vec2 step;    // one texel along the blur direction, in uv units
uniform float sigma;  // in texels of this (reduced) resolution
uniform int radius;

void main() {
    float inverseTwoSigmaSquared = 0.5 / (sigma * sigma);
    vec3 sum = texture(source, uv).rgb;
    float weightSum = 1.0;
    for (int i = 1; i <= radius; ++i) {
        float w = exp(-float(i * i) * inverseTwoSigmaSquared);
        sum += w * (texture(source, uv + float(i) * step).rgb + texture(source, uv - float(i) * step).rgb);
        weightSum += 2.0 * w;
    }
    fragColor = vec4(sum / weightSum, 1.0);
}
