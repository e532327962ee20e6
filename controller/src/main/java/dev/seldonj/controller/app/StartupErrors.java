package dev.seldonj.controller.app;

import dev.seldonj.desired.config.OperatorConfigLoader.InvalidConfigException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Turns whatever stopped the start into the one line the command prints. Micronaut wraps a failing
 * bean in two or three BeanInstantiationExceptions with multi-line messages, fabric8 wraps I/O errors
 * in "An error has occurred.", and the JDK's HTTP client throws a ConnectException without a
 * message: the line is taken from what is underneath.
 */
public final class StartupErrors {

    private StartupErrors() {}

    /** One line for a failed start: a {@link StartupFailure}'s own message, else the best found in the causes. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupFailure s) {
                return s.getMessage();
            }
            if (t instanceof InvalidConfigException c) {
                return "configuration: " + c.getMessage();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                return "Kubernetes API: " + apiStatus(k);
            }
        }
        return cause(failure);
    }

    /** An API error as "401 Unauthorized: message", or the I/O failure underneath it. */
    static String apiStatus(KubernetesClientException e) {
        int code = e.getCode();
        if (code <= 0) {
            return cause(e.getCause() != null ? e.getCause() : e);
        }
        String reason = switch (code) {
            case 401 -> "401 Unauthorized";
            case 403 -> "403 Forbidden";
            case 404 -> "404 Not Found";
            default -> Integer.toString(code);
        };
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : null;
        return message == null || message.isBlank() ? reason : reason + ": " + firstLine(message);
    }

    /** The innermost meaningful reason of an I/O-style failure, in words. */
    static String cause(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused" + detail(t);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host" + detail(t);
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host" + detail(t);
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return "timed out" + detail(t);
            }
            if (t instanceof SSLException) {
                return "TLS failed" + detail(t);
            }
            if (t instanceof BindException) {
                return "address already in use" + detail(t);
            }
            root = t;
        }
        String message = root.getMessage();
        return message == null || message.isBlank()
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + firstLine(message);
    }

    private static String detail(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? "" : " (" + firstLine(message) + ")";
    }

    static String firstLine(String message) {
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }
}
