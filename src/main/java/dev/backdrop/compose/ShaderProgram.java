package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

/** A linked vertex + fragment program; compile and link errors carry the shader's file name and log. */
final class ShaderProgram implements AutoCloseable {
    static final String VERTEX_SHADER = "fullscreen.vert";

    private final int id;
    private final String name;

    ShaderProgram(java.nio.file.Path shaderDir, String fragmentFile) {
        this(shaderDir, fragmentFile, "");
    }

    /**
     * defines: lines such as {@code "#define TAPS 3\n"} put after each shader's #version line.
     * Loop bounds must be such compile-time constants: llvmpipe unrolls those loops, while a loop
     * bounded by a uniform costs it several times as much per iteration.
     */
    ShaderProgram(java.nio.file.Path shaderDir, String fragmentFile, String defines) {
        this(shaderDir, VERTEX_SHADER, fragmentFile, defines);
    }

    /** With a vertex shader of its own (e.g. blend_tiles.vert); the defines go into both shaders. */
    ShaderProgram(java.nio.file.Path shaderDir, String vertexFile, String fragmentFile, String defines) {
        this.name = fragmentFile;
        int vertex = compile(GL_VERTEX_SHADER, vertexFile, withDefines(ShaderSource.load(shaderDir, vertexFile), defines));
        int fragment;
        try {
            fragment = compile(GL_FRAGMENT_SHADER, fragmentFile, withDefines(ShaderSource.load(shaderDir, fragmentFile), defines));
        } catch (RuntimeException e) {
            glDeleteShader(vertex);
            throw e;
        }
        int program = glCreateProgram();
        glAttachShader(program, vertex);
        glAttachShader(program, fragment);
        glLinkProgram(program);
        // Once linked the shader objects are no longer needed.
        glDetachShader(program, vertex);
        glDetachShader(program, fragment);
        glDeleteShader(vertex);
        glDeleteShader(fragment);
        if (glGetProgrami(program, GL_LINK_STATUS) == GL_FALSE) {
            String log = glGetProgramInfoLog(program);
            glDeleteProgram(program);
            throw new IllegalStateException("cannot link shader program " + fragmentFile + ": " + log);
        }
        this.id = program;
    }

    private static String withDefines(String source, String defines) {
        if (defines.isEmpty()) {
            return source;
        }
        int endOfVersion = source.indexOf('\n') + 1;
        return source.substring(0, endOfVersion) + defines + source.substring(endOfVersion);
    }

    private static int compile(int type, String file, String source) {
        int shader = glCreateShader(type);
        glShaderSource(shader, source);
        glCompileShader(shader);
        if (glGetShaderi(shader, GL_COMPILE_STATUS) == GL_FALSE) {
            String log = glGetShaderInfoLog(shader);
            glDeleteShader(shader);
            throw new IllegalStateException("cannot compile shader " + file + ": " + log);
        }
        return shader;
    }

    void use() {
        glUseProgram(id);
    }

    /** Looked up once at set-up; the per-frame path only uses the returned location. */
    int uniform(String uniformName) {
        int location = glGetUniformLocation(id, uniformName);
        if (location < 0) {
            throw new IllegalStateException(name + " has no active uniform " + uniformName);
        }
        return location;
    }

    /** Like {@link #uniform}, but -1 (setting it does nothing) where the compiler dropped it, e.g. a one-tap loop. */
    int optionalUniform(String uniformName) {
        return glGetUniformLocation(id, uniformName);
    }

    /** Like {@link #sampler}, for a sampler that some variants of a shader (its #defines) do not use. */
    void optionalSampler(String uniformName, int unit) {
        use();
        glUniform1i(optionalUniform(uniformName), unit);
    }

    /** Binds a sampler uniform to a texture unit, once. */
    void sampler(String uniformName, int unit) {
        use();
        glUniform1i(uniform(uniformName), unit);
    }

    @Override
    public void close() {
        glDeleteProgram(id);
    }
}
