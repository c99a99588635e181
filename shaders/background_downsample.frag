#version 330 core
// The background, box-filtered down to the blur resolution, each frame pixel weighted by how much
// it is background (1 - mask). Written premultiplied: rgb = sum(colour * w) / n, a = sum(w) / n.
// The blur then spreads colour and weight alike and blend.frag divides rgb by a, so the person's
// colours never bleed into the blurred background (no halo) and flat areas stay exact.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D source;    // the frame
uniform sampler2D mask;      // the shaped mask at mask size (alpha), sampled bilinearly: the guided
                             // refinement would not change the weights of a blur this wide
uniform vec2 sourceTexel;    // 1 / frame size
uniform vec2 footprint;      // frame pixels per destination pixel

void main() {
    vec4 sum = vec4(0.0);
    for (int j = 0; j < TAPS_Y; ++j) {
        float dy = ((float(j) + 0.5) / float(TAPS_Y) - 0.5) * footprint.y;
        for (int i = 0; i < TAPS_X; ++i) {
            float dx = ((float(i) + 0.5) / float(TAPS_X) - 0.5) * footprint.x;
            vec2 at = uv + vec2(dx, dy) * sourceTexel;
            float w = 1.0 - texture(mask, at).a;
            sum += vec4(texture(source, at).rgb * w, w);
        }
    }
    fragColor = sum / float(TAPS_X * TAPS_Y);
}
