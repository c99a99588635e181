#version 330 core
// The blend is drawn as TILE x TILE quads, one instance per tile (TILES_X across), once per kind
// of tile that needs drawing (TILE_KIND: 1 all background, 2 edge; 0, all person, keeps the frame
// and is never drawn), each time with blend.frag compiled for that kind. A tile of another kind is
// moved outside the viewport (culled before rasterising), so the rasteriser never visits its
// pixels. Kinds come from mask_tiles.frag. uv is as in fullscreen.vert.
out vec2 uv;

uniform sampler2D tiles;     // per tile: r = 1 all person, g = 0 all background (mask_tiles.frag)

void main() {
    ivec2 tile = ivec2(gl_InstanceID % TILES_X, gl_InstanceID / TILES_X);
    vec2 flags = texelFetch(tiles, tile, 0).rg;
    int kind = flags.r > 0.5 ? 0 : (flags.g < 0.5 ? 1 : 2);
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1)); // triangle strip
    vec2 size = vec2(WIDTH, HEIGHT);
    uv = min((vec2(tile) + corner) * float(TILE), size) / size;
    gl_Position = kind == TILE_KIND ? vec4(uv * 2.0 - 1.0, 0.0, 1.0) : vec4(-2.0, -2.0, 0.0, 1.0);
}
