package dev.backdrop.compose;

import static org.junit.jupiter.api.Assertions.*;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeadlessGlTest {
    @Test
    void rendererReportsCoreGl33OrNewer() {
        try (HeadlessGl gl = HeadlessGl.create()) {
            String renderer = gl.renderer();
            Matcher m = Pattern.compile("OpenGL (\\d+)\\.(\\d+)").matcher(renderer);
            assertTrue(m.find(), renderer);
            int version = Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2));
            assertTrue(version >= 33, renderer);
        }
    }

    @Test
    void canBeCreatedAgainAfterClose() {
        try (HeadlessGl gl = HeadlessGl.create()) {
            assertNotNull(gl.renderer());
        }
        try (HeadlessGl gl = HeadlessGl.create()) {
            assertNotNull(gl.renderer());
        }
    }
}
