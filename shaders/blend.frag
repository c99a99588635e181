#version 330 core
// out = mix(background, frame, mask). The background is either the blurred frame (reduced size,
// sampled bilinearly back up to frame size) or a replacement image; both are addressed through
// backgroundScale/backgroundOffset, which for the image encode the cover fit (fill, centred crop).
in vec2 uv;
out vec4 fragColor;

uniform sampler2D frame;
uniform sampler2D mask;        // already at frame size
uniform sampler2D background;
uniform vec2 backgroundScale;
uniform vec2 backgroundOffset;

void main() {
    vec3 person = texture(frame, uv).rgb;
    vec3 behind = texture(background, uv * backgroundScale + backgroundOffset).rgb;
    fragColor = vec4(mix(behind, person, texture(mask, uv).r), 1.0);
}
