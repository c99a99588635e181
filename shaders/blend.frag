#version 400 core
// out = mix(background, frame, mask), with the mask upsampled from mask size right here, guided
// by the frame (guided_mask.glsl), so no full-size mask is ever stored. The background
// (BACKGROUND, #defined by BlendPass) is the blurred frame (0: reduced size, sampled bilinearly
// back up, premultiplied by background weight: divided here), a frame-sized image (1: the fitted
// replacement image or video, or the frame itself), or a 1x1 solid colour (2). Alpha is the mask
// (read back only for transparent output).
//
// Drawn into the frame's own texture, which then holds the composite. Compiled twice, once per
// kind of tile drawn (TILE_KIND, see blend_tiles.vert and mask_tiles.frag): where every mask texel a
// tile depends on is 0 the output is the background, and only the tiles along the edge run the
// guided filter (and the light wrap); where every one is 1 the output is the frame, which is
// already there, so those tiles are not drawn at all. The results are the same as the full
// blend's everywhere; llvmpipe, which runs both sides of any branch, is spared the filter and the
// fetches on most of the frame. Each fragment reads the frame only at its own texel, which GL
// allows of the texture being drawn into.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D frame;
uniform sampler2D background;

#include "guided_mask.glsl"

vec3 behind(vec3 person) {
#if BACKGROUND == 1
    return texelFetch(background, ivec2(gl_FragCoord.xy), 0).rgb;
#else
    vec4 b = textureLod(background, uv, 0.0);
#if BACKGROUND == 0 && TILE_KIND == 1
    // An all-background tile's own pixels weigh at least a few percent in the blur here, far
    // above the 1e-3 below: no fallback (and no frame fetch) needed.
    return b.rgb / b.a;
#elif BACKGROUND == 0
    // Deep inside the person no background was seen nearby: the mask hides this anyway.
    return b.a > 1e-3 ? b.rgb / b.a : person;
#else
    return b.rgb;
#endif
#endif
}

#if LIGHT_WRAP
uniform float wrapStrength;  // 0..1
uniform vec2 wrapReach;      // BlendPass.WRAP_RADIUS frame pixels, in uv

// Light wrap: inside the person, near the edge, some of the new background's light. How near: the
// mean mask at four points wrapReach away (1 deep inside, less where background is that close);
// the light: the background's mean colour at those points. Only edge tiles get here: mask_tiles
// widens the edge tiles by the reach, and outside the person (m = 0) nothing changes.
vec3 lightWrap(vec3 colour, float m) {
    const vec2 directions[4] = vec2[4](vec2(1.0, 0.0), vec2(-1.0, 0.0), vec2(0.0, 1.0), vec2(0.0, -1.0));
    float around = 0.0;
    vec3 light = vec3(0.0);
    for (int i = 0; i < 4; ++i) {
        vec2 at = uv + directions[i] * wrapReach;
        around += textureLod(shaped, at, 0.0).a;
        light += textureLod(background, at, 0.0).rgb;
    }
    return mix(colour, light * 0.25, wrapStrength * m * (1.0 - around * 0.25));
}
#endif

void main() {
    // At pixel centres a bilinear fetch is the texel; texelFetch skips the filter's arithmetic.
    vec3 person = texelFetch(frame, ivec2(gl_FragCoord.xy), 0).rgb;
#if TILE_KIND == 1
    fragColor = vec4(behind(person), 0.0);
#else
    float m = guidedMask(uv, person);
    vec3 colour = mix(behind(person), person, m);
#if LIGHT_WRAP
    colour = lightWrap(colour, m);
#endif
    fragColor = vec4(colour, m); // alpha: the mask, for transparent output
#endif
}
