#version 330 core
// Which tiles of the frame the blend must work out pixel by pixel: one fragment per TILE x TILE
// tile, looking at the mask texels that the tile's guided upsampling reads (guided_mask.glsl: the
// 2x2 texels around each pixel), widened by MARGIN texels for whatever else looks across the edge
// (light wrap) and by one for rounding. r = 1 where all of them are exactly 1 (all person), g = 1
// where any is above 0 (so g = 0: all background); flags, not values, so an 8-bit target cannot
// round 0.999 up to 1. blend_tiles.vert then draws a tile with the cheap all-person or
// all-background blend, or with the full one. llvmpipe runs both sides of every branch, so skipping work per
// pixel saves nothing; only pixels that are never drawn by the expensive shader cost nothing.
// TILE, WIDTH, HEIGHT (frame), SPAN (texels per tile, upper bound) and MARGIN are #defined by BlendPass.
out vec4 fragColor;

uniform sampler2D shaped;    // mask size, a = the shaped mask

void main() {
    ivec2 size = textureSize(shaped, 0);
    vec2 first = (floor(gl_FragCoord.xy) * float(TILE) + 0.5) / vec2(WIDTH, HEIGHT);
    vec2 last = (min((floor(gl_FragCoord.xy) + 1.0) * float(TILE), vec2(WIDTH, HEIGHT)) - 0.5) / vec2(WIDTH, HEIGHT);
    ivec2 lo = ivec2(floor(first * vec2(size) - 0.5)) - (MARGIN + 1);
    ivec2 hi = ivec2(floor(last * vec2(size) - 0.5)) + (MARGIN + 2);
    lo = clamp(lo, ivec2(0), size - 1);
    hi = clamp(hi, ivec2(0), size - 1);
    float least = 1.0;
    float most = 0.0;
    for (int j = 0; j < SPAN; ++j) {
        for (int i = 0; i < SPAN; ++i) {
            float m = texelFetch(shaped, min(lo + ivec2(i, j), hi), 0).a;
            least = min(least, m);
            most = max(most, m);
        }
    }
    fragColor = vec4(least >= 1.0 ? 1.0 : 0.0, most > 0.0 ? 1.0 : 0.0, 0.0, 1.0);
}
