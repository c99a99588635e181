#version 330 core
// Guided filter (He, Sun and Tang), first half, at mask size: for each texel the linear model
// mask ~ dot(a, colour) + b that best fits the mask over the (2 RADIUS + 1)^2 window around it,
// guided by the frame's colour there (ridge regression, eps regularising a). Where the window holds
// one colour the model is flat (a = 0, b = the mean mask); where the mask's edge runs along a
// colour edge, a carries it, so the full-resolution frame can put the edge back on its pixels
// (guided_mask.glsl) instead of on the mask grid. guided_mask.glsl keeps the result within the mask
// texels around each pixel, so the blend's tiles need not know this window.
// RADIUS is #defined by GuidedFilterPass.
out vec4 coefficients;           // rgb = a, a = b
uniform sampler2D shaped;        // mask size: rgb = guide colour (the frame's mean under the texel), a = mask
uniform float eps;               // regularisation, colour units squared
void main() {
    ivec2 p = ivec2(gl_FragCoord.xy);
    ivec2 last = textureSize(shaped, 0) - 1;
    vec3 sumI = vec3(0.0);
    float sumP = 0.0;
    vec3 sumIP = vec3(0.0);
    vec3 sumII = vec3(0.0);      // rr, gg, bb
    vec3 sumIIx = vec3(0.0);     // rg, rb, gb
    for (int j = -RADIUS; j <= RADIUS; ++j) {
        for (int i = -RADIUS; i <= RADIUS; ++i) {
            vec4 s = texelFetch(shaped, clamp(p + ivec2(i, j), ivec2(0), last), 0);
            vec3 c = s.rgb;
            float m = s.a;
            sumI += c;
            sumP += m;
            sumIP += c * m;
            sumII += c * c;
            sumIIx += c.rrg * c.gbb;
        }
    }
    float n = float((2 * RADIUS + 1) * (2 * RADIUS + 1));
    vec3 meanI = sumI / n;
    float meanP = sumP / n;
    vec3 covIP = sumIP / n - meanI * meanP;
    vec3 varI = sumII / n - meanI * meanI + eps;
    vec3 covI = sumIIx / n - meanI.rrg * meanI.gbb;
    mat3 sigma = mat3(varI.r, covI.x, covI.y,
                      covI.x, varI.g, covI.z,
                      covI.y, covI.z, varI.b);
    vec3 a = inverse(sigma) * covIP;
    coefficients = vec4(a, meanP - dot(a, meanI));
}
