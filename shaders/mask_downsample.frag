#version 330 core
// A model's mask box-filtered down to the size the mask passes run at, for models whose mask is far
// larger than those passes need (RVM's is the frame's own size): the temporal, edge and tile
// passes then touch a fraction of the texels, and the blend's guided upsampling puts the edge back
// on the frame's. Taps placed as in background_downsample.frag.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D source;    // the model's mask (red), sampled bilinearly
uniform vec2 sourceTexel;    // 1 / mask size
uniform vec2 footprint;      // mask texels per target texel

void main() {
    float sum = 0.0;
    for (int j = 0; j < TAPS_Y; ++j) {
        float dy = ((float(j) + 0.5) / float(TAPS_Y) - 0.5) * footprint.y;
        for (int i = 0; i < TAPS_X; ++i) {
            float dx = ((float(i) + 0.5) / float(TAPS_X) - 0.5) * footprint.x;
            sum += texture(source, uv + vec2(dx, dy) * sourceTexel).r;
        }
    }
    fragColor = vec4(sum / float(TAPS_X * TAPS_Y), 0.0, 0.0, 1.0);
}
