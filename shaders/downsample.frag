#version 330 core
// Box-filters the frame down to the blur resolution. Each destination pixel covers `footprint`
// source pixels per axis; taps x taps bilinear fetches spread over that footprint average it
// (exactly, for integer factors such as 4), so the reduced image does not alias.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D source;
uniform vec2 sourceTexel; // 1 / source size
uniform vec2 footprint;   // source pixels per destination pixel
uniform ivec2 taps;       // fetches per axis, about footprint / 2

void main() {
    vec3 sum = vec3(0.0);
    for (int j = 0; j < taps.y; ++j) {
        float dy = ((float(j) + 0.5) / float(taps.y) - 0.5) * footprint.y;
        for (int i = 0; i < taps.x; ++i) {
            float dx = ((float(i) + 0.5) / float(taps.x) - 0.5) * footprint.x;
            sum += texture(source, uv + vec2(dx, dy) * sourceTexel).rgb;
        }
    }
    fragColor = vec4(sum / float(taps.x * taps.y), 1.0);
}
