package dev.seldonj.local.ports;

import dev.seldonj.local.RunnerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports, as the operating system hands them out. */
public interface PortAllocator {

  int next();

  /** Asks the kernel for an ephemeral port; it stays free until a process binds it moments later. */
  static PortAllocator ephemeral() {
    return () -> {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new RunnerException("cannot find a free local port: " + e.getMessage(), e);
      }
    };
  }
}
