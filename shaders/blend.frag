#version 400 core
// out = mix(background, frame, mask), with the mask upsampled from mask size right here, guided
// by the frame (guided_mask.glsl), so no full-size mask is ever stored. The background is the
// blurred frame (reduced size, sampled bilinearly back up, premultiplied by background weight:
// divided here), a replacement image or a 1x1 solid colour; all are addressed through
// backgroundScale/backgroundOffset, which encode the image's fit (cover: fill and crop; fit:
// letterbox with borderColour; stretch). Alpha is the mask (read back only for transparent output).
in vec2 uv;
out vec4 fragColor;

uniform sampler2D frame;
uniform sampler2D background;
uniform vec2 backgroundScale;
uniform vec2 backgroundOffset;
uniform int premultiplied;     // 1: background rgb is weighted by its alpha (the halo-free blur)
uniform vec3 borderColour;     // outside the image (fit mode)

#include "guided_mask.glsl"

void main() {
    vec3 person = texture(frame, uv).rgb;
    float m = guidedMask(uv, person);
    if (m >= 1.0) {
        fragColor = vec4(person, 1.0); // all person: no background fetch
        return;
    }
    vec2 at = uv * backgroundScale + backgroundOffset;
    vec4 b = textureLod(background, at, 0.0); // no mipmaps; explicit level as this is inside a branch
    vec3 behind = b.rgb;
    if (premultiplied != 0) {
        // Deep inside the person no background was seen nearby: the mask hides this anyway.
        behind = b.a > 1e-3 ? b.rgb / b.a : person;
    }
    if (any(lessThan(at, vec2(0.0))) || any(greaterThan(at, vec2(1.0)))) {
        behind = borderColour;
    }
    fragColor = vec4(mix(behind, person, m), m); // alpha: the mask, for transparent output
}
