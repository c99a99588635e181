// Guided mask upsampling, shared by mask_upsample.frag (the mask on its own, for readBackMask and
// --debug-mask) and blend.frag (which computes it inline, on edge tiles only, saving a
// full-resolution pass).
//
// A joint bilateral filter over the 2x2 mask texels around each frame pixel (those bilinear
// filtering would use). Each texel's weight is a spatial Gaussian (sigmaSpace mask texels) times
// the colour similarity between the frame pixel and the guide colour stored with that texel
// (Gaussian, sigmaColour, colours in 0..1), one exp for both, so the mask edge snaps to the image
// edge instead of the mask grid. A small bilinear floor takes over where no neighbour is similar.
// 2x2 and textureGather keep it to one fetch where the mask is flat, four at edges: llvmpipe is
// fetch-bound. Needs GLSL 4.00 (textureGather with a component), so the includers say #version 400.

uniform sampler2D shaped;    // mask size: rgb = guide colour, a = mask (output of mask_edge)
uniform float spaceFactor;   // -1 / (2 sigmaSpace^2)
uniform float colourFactor;  // -1 / (2 sigmaColour^2)

float guidedMask(vec2 uv, vec3 c) {
    ivec2 size = textureSize(shaped, 0);
    vec2 f = fract(uv * vec2(size) - 0.5);   // position between the 2x2 texel centres
    // textureGather returns one channel of the 2x2 bilinear footprint (clamped at the edges) in
    // one fetch, ordered (0,1) (1,1) (1,0) (0,0); .wzxy puts them as (0,0) (1,0) (0,1) (1,1).
    vec4 a = textureGather(shaped, uv, 3).wzxy;
    // Away from edges all four agree and the weights cannot matter: skip the rest. A GPU skips it
    // for a group of pixels none of which needs it; llvmpipe runs both sides of a branch, which is
    // why blend.frag runs this only on edge tiles (mask_tiles.frag).
    float spread = max(max(a.x, a.y), max(a.z, a.w)) - min(min(a.x, a.y), min(a.z, a.w));
    if (spread < 1.0 / 1024.0) {
        return clamp(a.x, 0.0, 1.0);
    }
    vec4 dr = textureGather(shaped, uv, 0).wzxy - c.r;
    vec4 dg = textureGather(shaped, uv, 1).wzxy - c.g;
    vec4 db = textureGather(shaped, uv, 2).wzxy - c.b;
    vec2 g = 1.0 - f;
    vec4 distance2 = vec4(dot(f, f), g.x * g.x + f.y * f.y, f.x * f.x + g.y * g.y, dot(g, g));
    vec4 colour2 = dr * dr + dg * dg + db * db;
    vec4 bilinear = vec4(g.x * g.y, f.x * g.y, g.x * f.y, f.x * f.y);
    vec4 w = exp(distance2 * spaceFactor + colour2 * colourFactor) + 1e-3 * bilinear;
    return clamp(dot(w, a) / dot(w, vec4(1.0)), 0.0, 1.0);
}
