package dev.backdrop.compose;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests that draw: a fresh headless GL context, current on the test's thread, for each test. */
abstract class GlTest {

    protected HeadlessGl gl;

    @BeforeEach
    void createContext() {
        gl = HeadlessGl.create();
    }

    @AfterEach
    void closeContext() {
        gl.close();
    }
}
