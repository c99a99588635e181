#version 330 core
// Guide colours and temporal smoothing, at mask resolution, in one pass.
// 1. Guide: the frame box-filtered to mask size (taps x taps bilinear fetches spread over each mask
//    texel's footprint): the colours the mask is guided and motion-tested by.
// 2. Per pixel an exponential moving average of the mask:
//      smoothed = mix(previous smoothed, new mask, alpha)
//    where alpha is stillWeight for a pixel whose colour did not change since the last frame and
//    rises linearly to 1 (no smoothing, so no ghost) as the colour change reaches motionThreshold.
// 3. Soft threshold of the smoothed mask, smoothstep(low, high, m), into a second target that
//    mask_edge.frag feathers with bilinear taps (the threshold is not linear, so it must come first).
// The state is ping-ponged by Compositor: rgb = this frame's guide colour (kept for the next
// frame's motion test), a = the smoothed mask. reset = 1 starts over (first frame, new clip, seek).
in vec2 uv;
layout(location = 0) out vec4 state;
layout(location = 1) out vec4 thresholded;

uniform sampler2D mask;      // the network's mask, mask size, R32F
uniform sampler2D frame;     // the frame, full size
uniform sampler2D previous;  // last frame's state
uniform vec2 frameTexel;     // 1 / frame size
uniform vec2 footprint;      // frame pixels per mask texel
uniform float stillWeight;   // weight of the new mask where nothing moved, (0, 1]
uniform float motionThreshold; // mean |colour change| (0..1 units) that counts as full motion
uniform float low;
uniform float high;
uniform int reset;

void main() {
    ivec2 p = ivec2(gl_FragCoord.xy);
    vec3 sum = vec3(0.0);
    for (int j = 0; j < TAPS_Y; ++j) {
        float dy = ((float(j) + 0.5) / float(TAPS_Y) - 0.5) * footprint.y;
        for (int i = 0; i < TAPS_X; ++i) {
            float dx = ((float(i) + 0.5) / float(TAPS_X) - 0.5) * footprint.x;
            sum += texture(frame, uv + vec2(dx, dy) * frameTexel).rgb;
        }
    }
    vec3 g = sum / float(TAPS_X * TAPS_Y);
    float m = clamp(texelFetch(mask, p, 0).r, 0.0, 1.0);
    vec4 last = texelFetch(previous, p, 0);
    float change = dot(abs(g - last.rgb), vec3(1.0 / 3.0));
    float alpha = reset != 0 ? 1.0 : mix(stillWeight, 1.0, clamp(change / motionThreshold, 0.0, 1.0));
    float smoothed = mix(last.a, m, alpha);
    state = vec4(g, smoothed);
    thresholded = vec4(smoothstep(low, high, smoothed), 0.0, 0.0, 1.0);
}
