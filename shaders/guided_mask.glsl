// Guided mask upsampling, shared by mask_upsample.frag (the mask on its own, for readBackMask and
// --debug-mask) and blend.frag (which computes it inline, saving a full-resolution pass).
//
// A joint bilateral filter over the 2x2 mask texels around each frame pixel (those bilinear
// filtering would use). Each texel's weight is a spatial Gaussian (sigmaSpace mask texels) times
// the colour similarity between the frame pixel and the guide colour stored with that texel
// (Gaussian, sigmaColour, colours in 0..1), one exp for both, so the mask edge snaps to the image
// edge instead of the mask grid. A small bilinear floor takes over where no neighbour is similar.
// 2x2 keeps it to four fetches: llvmpipe is fetch-bound.

uniform sampler2D shaped;    // mask size: rgb = guide colour, a = mask (output of mask_edge)
uniform float spaceFactor;   // -1 / (2 sigmaSpace^2)
uniform float colourFactor;  // -1 / (2 sigmaColour^2)

float guidedMask(vec2 uv, vec3 c) {
    ivec2 size = textureSize(shaped, 0);
    vec2 p = uv * vec2(size) - 0.5;          // position in mask texel centres
    vec2 f = fract(p);
    ivec2 base = ivec2(floor(p));
    ivec2 hi = size - 1;
    vec4 s00 = texelFetch(shaped, clamp(base, ivec2(0), hi), 0);
    vec4 s10 = texelFetch(shaped, clamp(base + ivec2(1, 0), ivec2(0), hi), 0);
    vec4 s01 = texelFetch(shaped, clamp(base + ivec2(0, 1), ivec2(0), hi), 0);
    vec4 s11 = texelFetch(shaped, clamp(base + ivec2(1, 1), ivec2(0), hi), 0);
    vec4 a = vec4(s00.a, s10.a, s01.a, s11.a);
    // Away from edges all four agree and the weights cannot matter: skip the exps (most pixels;
    // llvmpipe runs 8 pixels per lane group and skips the block when none of them needs it).
    float spread = max(max(a.x, a.y), max(a.z, a.w)) - min(min(a.x, a.y), min(a.z, a.w));
    if (spread < 1.0 / 1024.0) {
        return clamp(a.x, 0.0, 1.0);
    }
    vec3 d00 = s00.rgb - c;
    vec3 d10 = s10.rgb - c;
    vec3 d01 = s01.rgb - c;
    vec3 d11 = s11.rgb - c;
    vec2 g = 1.0 - f;
    vec4 distance2 = vec4(dot(f, f), g.x * g.x + f.y * f.y, f.x * f.x + g.y * g.y, dot(g, g));
    vec4 colour2 = vec4(dot(d00, d00), dot(d10, d10), dot(d01, d01), dot(d11, d11));
    vec4 bilinear = vec4(g.x * g.y, f.x * g.y, g.x * f.y, f.x * f.y);
    vec4 w = exp(distance2 * spaceFactor + colour2 * colourFactor) + 1e-3 * bilinear;
    return clamp(dot(w, a) / dot(w, vec4(1.0)), 0.0, 1.0);
}
