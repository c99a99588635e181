#version 330 core
// Guided mask upsampling: a joint bilateral filter. Each frame pixel averages the mask texels
// around it, weighted by distance (Gaussian, sigmaSpace mask texels) times colour similarity
// between the frame pixel and the guide colour stored with each mask texel (Gaussian,
// sigmaColour, colours in 0..1): the mask edge snaps to the image edge instead of the mask grid.
// Where no neighbour is similar in colour the small constant floor falls back to distance alone.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D frame;     // full resolution
uniform sampler2D shaped;    // mask size: rgb = guide colour, a = mask (output of mask_edge)
uniform float spaceFactor;   // -1 / (2 sigmaSpace^2)
uniform float colourFactor;  // -1 / (2 sigmaColour^2)
uniform int radius;          // texels each side: window is 2 * radius wide

void main() {
    ivec2 size = textureSize(shaped, 0);
    vec3 c = texture(frame, uv).rgb;
    vec2 p = uv * vec2(size) - 0.5;          // position in mask texel centres
    ivec2 base = ivec2(floor(p));
    float sum = 0.0;
    float total = 0.0;
    for (int j = 1 - radius; j <= radius; ++j) {
        for (int i = 1 - radius; i <= radius; ++i) {
            ivec2 q = base + ivec2(i, j);
            vec4 s = texelFetch(shaped, clamp(q, ivec2(0), size - 1), 0);
            vec2 d = vec2(q) - p;
            vec3 dc = s.rgb - c;
            float w = exp(dot(d, d) * spaceFactor) * (exp(dot(dc, dc) * colourFactor) + 1e-3);
            sum += w * s.a;
            total += w;
        }
    }
    fragColor = vec4(clamp(sum / total, 0.0, 1.0), 0.0, 0.0, 1.0);
}
