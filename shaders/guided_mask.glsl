// Guided mask upsampling, shared by mask_upsample.frag (the mask on its own, for readBackMask and
// --debug-mask) and blend.frag (which computes it inline, on edge tiles only, saving a
// full-resolution pass).
//
// The second half of a fast guided filter: the per-texel linear models (a, b) that
// guided_coefficients.frag and guided_mean.frag fitted at mask size, read bilinearly, applied to
// the frame's own colour at this pixel: mask = dot(a, colour) + b. The edge follows the frame's
// colour edges at full resolution, not the mask's grid; where the mask is flat a = 0 and this is
// the mask itself. The result stays within the 2x2 mask texels around the pixel (those bilinear
// filtering would use): the filter moves an edge within its footprint, but never lowers a person's
// flat inside where the frame is textured, nor raises a flat background. Two fetches: cheap on
// llvmpipe, which is fetch-bound. Needs GLSL 4.00 (textureGather with a component).
uniform sampler2D coefficients; // mask size: rgb = a, a = b
uniform sampler2D shaped;       // mask size: a = the shaped mask
float guidedMask(vec2 uv, vec3 c) {
    vec4 k = textureLod(coefficients, uv, 0.0);
    vec4 m = textureGather(shaped, uv, 3);
    float lo = min(min(m.x, m.y), min(m.z, m.w));
    float hi = max(max(m.x, m.y), max(m.z, m.w));
    return clamp(dot(k.rgb, c) + k.a, lo, hi);
}
