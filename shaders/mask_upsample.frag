#version 330 core
// Stretches the segmentation mask over the whole frame. The mask texture uses GL_LINEAR with
// clamp-to-edge, so this is plain bilinear; a guided (joint bilateral) filter will replace it.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D mask;

void main() {
    fragColor = vec4(clamp(texture(mask, uv).r, 0.0, 1.0), 0.0, 0.0, 1.0);
}
