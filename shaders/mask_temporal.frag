#version 330 core
// Temporal smoothing, at mask resolution. Per pixel an exponential moving average of the mask:
//   smoothed = mix(previous smoothed, new mask, alpha)
// where alpha is stillWeight for a pixel whose colour did not change since the last frame and
// rises linearly to 1 (no smoothing, so no ghost) as the colour change reaches motionThreshold.
// The state is ping-ponged by Compositor: rgb = this frame's guide colour (kept for the next
// frame's motion test), a = the smoothed mask. reset = 1 starts over (first frame, new clip, seek).
out vec4 fragColor;

uniform sampler2D mask;      // the network's mask, mask size, R32F
uniform sampler2D guide;     // this frame box-filtered to mask size
uniform sampler2D previous;  // last frame's output of this pass
uniform float stillWeight;   // weight of the new mask where nothing moved, (0, 1]
uniform float motionThreshold; // mean |colour change| (0..1 units) that counts as full motion
uniform int reset;

void main() {
    ivec2 p = ivec2(gl_FragCoord.xy);
    float m = clamp(texelFetch(mask, p, 0).r, 0.0, 1.0);
    vec3 g = texelFetch(guide, p, 0).rgb;
    vec4 last = texelFetch(previous, p, 0);
    float change = dot(abs(g - last.rgb), vec3(1.0 / 3.0));
    float alpha = reset != 0 ? 1.0 : mix(stillWeight, 1.0, clamp(change / motionThreshold, 0.0, 1.0));
    fragColor = vec4(g, mix(last.a, m, alpha));
}
