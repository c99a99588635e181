#version 400 core
// out = mix(background, frame, mask), with the mask upsampled from mask size right here, guided
// by the frame (guided_mask.glsl), so no full-size mask is ever stored. The background is the
// blurred frame (reduced size, sampled bilinearly back up, premultiplied by background weight:
// divided here), the replacement image or video fitted to frame size, or a 1x1 solid colour.
// Alpha is the mask (read back only for transparent output).
//
// Compiled three times, one per kind of tile (TILE_KIND, see blend_tiles.vert and
// mask_tiles.frag): where every mask texel a tile depends on is 1 the output is the frame, where
// every one is 0 it is the background, and only the tiles along the edge run the guided filter.
// The results are the same as the full blend's everywhere; llvmpipe, which runs both sides of any
// branch, is spared the filter and the fetches on most of the frame. PREMULTIPLIED (0 or 1) says
// whether the background is the halo-free blur.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D frame;
uniform sampler2D background;

#include "guided_mask.glsl"

vec3 behind(vec3 person) {
    vec4 b = textureLod(background, uv, 0.0);
#if PREMULTIPLIED
    // Deep inside the person no background was seen nearby: the mask hides this anyway.
    return b.a > 1e-3 ? b.rgb / b.a : person;
#else
    return b.rgb;
#endif
}

void main() {
    // At pixel centres a bilinear fetch is the texel; texelFetch skips the filter's arithmetic.
    vec3 person = texelFetch(frame, ivec2(gl_FragCoord.xy), 0).rgb;
#if TILE_KIND == 0
    fragColor = vec4(person, 1.0);
#elif TILE_KIND == 1
    fragColor = vec4(behind(person), 0.0);
#else
    float m = guidedMask(uv, person);
    fragColor = vec4(mix(behind(person), person, m), m); // alpha: the mask, for transparent output
#endif
}
