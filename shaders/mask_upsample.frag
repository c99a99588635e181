#version 400 core
// The refined mask on its own at frame size (guided_mask.glsl): for readBackMask and
// --debug-mask. The composite itself computes the same mask inline in blend.frag.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D frame;     // full resolution

#include "guided_mask.glsl"

void main() {
    fragColor = vec4(guidedMask(uv, texture(frame, uv).rgb), 0.0, 0.0, 1.0);
}
