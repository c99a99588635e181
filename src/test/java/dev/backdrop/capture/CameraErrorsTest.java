package dev.backdrop.capture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A busy camera cannot be made in CI (no /dev/video*): its line is checked on FFmpeg's own text. */
class CameraErrorsTest {

    @Test
    void busyCameraSaysAnotherProgramHasIt() {
        // what FfmpegLog.describe gives when V4L2's open() returns EBUSY
        String reason = "Cannot open video device /dev/video0: Device or resource busy (avformat_open_input() error -16:"
                + " Could not open input \"/dev/video0\")";
        String line = VideoSource.openFailure("/dev/video0", reason);
        assertTrue(line.contains("camera /dev/video0 is busy") && line.contains("another program"), line);
        String other = VideoSource.openFailure("in.mp4", "moov atom not found");
        assertTrue(other.contains("cannot open input in.mp4") && other.contains("moov atom not found"), other);
    }
}
