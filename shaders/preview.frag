#version 330 core
// Shows a composited frame in the live window. Frames are stored top row first (texture row 0),
// but a window's row 0 is its bottom, so this pass, and only this one, flips vertically.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D frame;

void main() {
    fragColor = vec4(texture(frame, vec2(uv.x, 1.0 - uv.y)).rgb, 1.0);
}
