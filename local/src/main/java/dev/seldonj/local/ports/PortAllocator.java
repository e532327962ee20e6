package dev.seldonj.local.ports;

import dev.seldonj.local.errors.RunnerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free loopback ports, as the operating system hands them out. */
public interface PortAllocator {

    int next();

    /**
     * Asks the kernel for ephemeral ports; each stays free until a process binds it moments later. The
     * kernel may hand a port it just gave (and that is not bound yet) out again, so ports already given
     * by this allocator are asked for anew.
     */
    static PortAllocator ephemeral() {
        Set<Integer> given = ConcurrentHashMap.newKeySet();
        return () -> {
            for (int attempt = 0; attempt < 100; attempt++) {
                int port;
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                    port = socket.getLocalPort();
                } catch (IOException e) {
                    throw new RunnerException("cannot find a free local port: " + e.getMessage(), e);
                }
                if (given.add(port)) {
                    return port;
                }
            }
            throw new RunnerException(
                    "cannot find a free local port: the kernel kept handing out ports already in use");
        };
    }
}
