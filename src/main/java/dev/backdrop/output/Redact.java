package dev.backdrop.output;

/** Hides credentials in stream URLs before they reach a log or an error message. */
public final class Redact {

    private Redact() {
    }

    /**
     * rtmp://user:secret@host/app/key?token=x becomes rtmp://***@host/app/***?***: the user
     * information, the stream key (the last path segment of an RTMP URL) and any query.
     */
    public static String url(String target) {
        int scheme = target.indexOf("://");
        if (scheme < 0) {
            return target;
        }
        String rest = target.substring(scheme + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = "***" + authority.substring(at);
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query) + "?***";
        }
        String scheme0 = target.substring(0, scheme);
        if (scheme0.startsWith("rtmp")) {
            int last = path.lastIndexOf('/');
            int end = path.indexOf('?') < 0 ? path.length() : path.indexOf('?');
            if (last > 0 && last + 1 < end) {
                path = path.substring(0, last + 1) + "***" + path.substring(end);
            }
        }
        int queryInAuthority = authority.indexOf('?');
        if (queryInAuthority >= 0) {
            authority = authority.substring(0, queryInAuthority) + "?***";
        }
        return scheme0 + "://" + authority + path;
    }

    /** A message that may quote the URL (FFmpeg's do): every occurrence of it hidden as {@link #url} does. */
    public static String within(String message, String target) {
        return target.contains("://") ? message.replace(target, url(target)) : message;
    }
}
