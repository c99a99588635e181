package dev.backdrop.control;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use the control page: a request must carry the run's random token (in the address as
 * {@code ?token=}, or as the {@code X-Backdrop-Token} header), and its Host must be the address the
 * server listens on: a web page elsewhere that makes the browser send to 127.0.0.1 through a name
 * of its own (DNS rebinding) names its own host, and is refused. A browser's cross-site request
 * carries an Origin, which must be this server's too.
 */
final class RequestGuard {

    private final String token;
    private final String hostPort;
    private final Set<String> hosts;

    RequestGuard(InetAddress bound, int port) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String address = bound.getHostAddress();
        String host = address.contains(":") ? "[" + address + "]" : address;
        this.hostPort = host + ":" + port;
        this.hosts = bound.isLoopbackAddress()
                ? Set.copyOf(java.util.List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, hostPort))
                : Set.of(hostPort);
    }

    String token() {
        return token;
    }

    String hostPort() {
        return hostPort;
    }

    /** Why this request is refused, or null when it may go on. */
    String refuse(HttpExchange x) {
        String host = x.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            return "refused: this server answers only requests addressed to " + hostPort;
        }
        String origin = x.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            return "refused: requests from other sites are not answered";
        }
        String given = x.getRequestHeaders().getFirst("X-Backdrop-Token");
        if (given == null) {
            given = queryToken(x.getRequestURI().getRawQuery());
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            return "refused: open the address Backdrop printed at start (control: http://...?token=...)";
        }
        return null;
    }

    private static String queryToken(String query) {
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            if (part.startsWith("token=")) {
                return part.substring("token=".length());
            }
        }
        return null;
    }
}
