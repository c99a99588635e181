package dev.backdrop.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RedactTest {

    @Test
    void credentialsKeysAndQueriesAreHidden() {
        assertEquals("rtmp://***@live.example/app/***", Redact.url("rtmp://user:secret@live.example/app/streamkey123"));
        assertEquals("rtmp://127.0.0.1:1935/live/***", Redact.url("rtmp://127.0.0.1:1935/live/test"));
        assertEquals("srt://host:9000?***", Redact.url("srt://host:9000?streamid=abc&passphrase=hunter22"));
        assertEquals("rtmps://***@h/app/***?***", Redact.url("rtmps://u:p@h/app/key?token=t"));
        assertEquals("/tmp/out.mkv", Redact.url("/tmp/out.mkv"), "files are left alone");
        assertFalse(Redact.url("rtmp://a:b@c/d/e").contains("b@"));
    }

    @Test
    void urlsQuotedInsideFfmpegMessagesAreHidden() {
        String url = "rtmp://user:secret@h:9/app/key123";
        assertEquals("Could not open 'rtmp://***@h:9/app/***'", Redact.within("Could not open '" + url + "'", url));
        assertEquals("Could not open 'out.mp4'", Redact.within("Could not open 'out.mp4'", "out.mp4"));
    }
}
