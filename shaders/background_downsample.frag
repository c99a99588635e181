#version 330 core
// The background, box-filtered down to the blur resolution, each frame pixel weighted by how much
// it is background (1 - mask). Written premultiplied: rgb = sum(colour * w) / n, a = sum(w) / n.
// The blur then spreads colour and weight alike and blend.frag divides rgb by a, so the person's
// colours never bleed into the blurred background (no halo) and flat areas stay exact.
in vec2 uv;
out vec4 fragColor;

uniform sampler2D source;    // the frame
uniform sampler2D mask;      // the shaped mask at mask size (alpha), sampled bilinearly: the guided
                             // refinement would not change the weights of a blur this wide. Once, at
                             // the centre: the mask is coarser than this target, so over one
                             // footprint it is close to linear, and the mean of a linear function over
                             // taps placed symmetrically about the centre is its value there.
uniform vec2 sourceTexel;    // 1 / frame size
uniform vec2 footprint;      // frame pixels per destination pixel

void main() {
    float w = 1.0 - texture(mask, uv).a;
    vec3 sum = vec3(0.0);
    for (int j = 0; j < TAPS_Y; ++j) {
        float dy = ((float(j) + 0.5) / float(TAPS_Y) - 0.5) * footprint.y;
        for (int i = 0; i < TAPS_X; ++i) {
            float dx = ((float(i) + 0.5) / float(TAPS_X) - 0.5) * footprint.x;
            sum += texture(source, uv + vec2(dx, dy) * sourceTexel).rgb;
        }
    }
    fragColor = vec4(sum * (w / float(TAPS_X * TAPS_Y)), w);
}
