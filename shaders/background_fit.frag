#version 330 core
// Run once, when the compositor is made: the replacement image resampled to frame size with its
// fit (cover, fit or stretch; outside the image borderColour), through mipmaps so a large image
// is averaged, not aliased. Every frame then samples the result 1:1, which llvmpipe does far
// faster than a trilinear fetch from the full-size image.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D image;
uniform vec2 scale;            // frame uv -> image uv
uniform vec2 offset;
uniform vec3 borderColour;

void main() {
    vec2 at = uv * scale + offset;
    vec3 c = texture(image, at).rgb;
    if (any(lessThan(at, vec2(0.0))) || any(greaterThan(at, vec2(1.0)))) {
        c = borderColour;
    }
    fragColor = vec4(c, 1.0);
}
