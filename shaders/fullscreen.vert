#version 330 core
// One triangle that covers the viewport, generated from gl_VertexID: no vertex buffer needed.
// uv is 0..1 across the viewport; texture row 0 (v = 0) holds the image's top row everywhere in
// this pipeline (uploads and glReadPixels both go top row first), so no flip is ever needed.
out vec2 uv;

void main() {
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    uv = corner;
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
