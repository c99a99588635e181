package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.glUseProgram;

import java.util.ArrayDeque;

/**
 * GL objects (and what else must go with them) in the order they were made, closed in reverse: on
 * close, and when construction fails part-way so nothing made so far leaks.
 */
final class GlResources {
    private final ArrayDeque<AutoCloseable> stack = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
        stack.push(resource);
        return resource;
    }

    /** Closes everything added, newest first; one failing close does not stop the rest. */
    void closeAll() {
        glUseProgram(0); // a program still in use would only be flagged for deletion
        while (!stack.isEmpty()) {
            try {
                stack.pop().close();
            } catch (Exception e) {
                // keep deleting the rest; GL deletes do not throw in practice
            }
        }
    }
}
