package dev.seldonj.node.probe;

import dev.seldonj.node.container.Tools;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs one attempt of a probe or lifecycle hook as kubelet does: httpGet (2xx/3xx is success; HTTPS
 * without certificate checks), tcpSocket (a connection opens), grpc (grpc.health.v1 says SERVING), exec
 * (exit 0, run inside the container's network, mount and UTS namespaces as its user, with its
 * environment). Every attempt is bounded by its timeout. The result is null on success, else the reason.
 */
public final class ProbeRunner {

    private static final SSLSocketFactory TRUST_ALL = trustAll();

    private final Tools tools;

    public ProbeRunner(Tools tools) {
        this.tools = tools;
    }

    public String probe(Probe probe, ProbeTarget target) {
        try {
            return attempt(probe, target);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private String attempt(Probe probe, ProbeTarget target) {
        Duration timeout = Duration.ofSeconds(
                probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() < 1 ? 1 : probe.getTimeoutSeconds());
        if (probe.getHttpGet() != null) {
            return http(probe.getHttpGet(), target, timeout);
        }
        if (probe.getTcpSocket() != null) {
            return tcp(
                    host(probe.getTcpSocket().getHost(), target),
                    port(probe.getTcpSocket().getPort(), target),
                    timeout);
        }
        if (probe.getGrpc() != null) {
            return GrpcHealth.check(
                    target.podIp(), probe.getGrpc().getPort(), probe.getGrpc().getService(), timeout);
        }
        if (probe.getExec() != null) {
            return exec(probe.getExec(), target, timeout);
        }
        return "probe names no action (httpGet, tcpSocket, grpc or exec)";
    }

    /** A preStop or postStart hook; {@code timeout} is what is left of the grace period. */
    public String hook(LifecycleHandler handler, ProbeTarget target, Duration timeout) {
        try {
            return runHook(handler, target, timeout);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private String runHook(LifecycleHandler handler, ProbeTarget target, Duration timeout) {
        if (handler.getHttpGet() != null) {
            return http(handler.getHttpGet(), target, timeout);
        }
        if (handler.getExec() != null) {
            return exec(handler.getExec(), target, timeout);
        }
        if (handler.getSleep() != null && handler.getSleep().getSeconds() != null) {
            try {
                Thread.sleep(Math.min(timeout.toMillis(), handler.getSleep().getSeconds() * 1000));
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        if (handler.getTcpSocket() != null) {
            return tcp(
                    host(handler.getTcpSocket().getHost(), target),
                    port(handler.getTcpSocket().getPort(), target),
                    timeout);
        }
        return "hook names no action";
    }

    String http(HTTPGetAction get, ProbeTarget target, Duration timeout) {
        String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase(Locale.ROOT);
        String path = get.getPath() == null || get.getPath().isEmpty() ? "/" : get.getPath();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        int port = port(get.getPort(), target);
        String host = host(get.getHost(), target);
        URI uri = URI.create(scheme + "://" + host + ":" + port + path);
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(TRUST_ALL);
                https.setHostnameVerifier((h, s) -> true);
            }
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("User-Agent", "kube-probe/1.33");
            connection.setRequestProperty("Accept", "*/*");
            for (HTTPHeader header : get.getHttpHeaders()) {
                connection.setRequestProperty(header.getName(), header.getValue());
            }
            int code = connection.getResponseCode();
            drain(connection);
            return code >= 200 && code < 400 ? null : "HTTP probe failed with statuscode: " + code;
        } catch (IOException e) {
            return "Get \"" + uri + "\": " + e.getMessage();
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    static String tcp(String host, int port, Duration timeout) {
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return null;
        } catch (IOException e) {
            return "dial tcp " + host + ":" + port + ": " + e.getMessage();
        }
    }

    String exec(ExecAction exec, ProbeTarget target, Duration timeout) {
        List<String> argv = new ArrayList<>(
                List.of(tools.nsenter(), "-t", Long.toString(target.pid()), "-m", "-n", "-u", "-w", "--"));
        argv.addAll(target.security().setpriv(tools.setpriv()));
        argv.addAll(exec.getCommand());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(new File("/dev/null"));
        builder.environment().clear();
        builder.environment().putAll(target.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return "exec " + exec.getCommand() + ": " + e.getMessage();
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return "command " + exec.getCommand() + " timed out after " + timeout.toSeconds() + "s";
            }
            int code = process.exitValue();
            return code == 0 ? null : "command " + exec.getCommand() + " exited with " + code;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String host(String host, ProbeTarget target) {
        return host == null || host.isEmpty() ? target.podIp() : host;
    }

    /** A port number, or the name of one of the container's ports. */
    static int port(IntOrString port, ProbeTarget target) {
        if (port == null) {
            throw new IllegalArgumentException("probe has no port");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        for (ContainerPort p : target.ports()) {
            if (name.equals(p.getName())) {
                return p.getContainerPort();
            }
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the container has no port named " + name);
        }
    }

    private static void drain(HttpURLConnection connection) {
        try (InputStream in =
                connection.getErrorStream() != null ? connection.getErrorStream() : connection.getInputStream()) {
            in.readNBytes(10 * 1024);
        } catch (IOException e) {
            // The status code is all that counts.
        }
    }

    private static SSLSocketFactory trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    new SecureRandom());
            return context.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException("TLS is part of the JDK", e);
        }
    }
}
