package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wrapper's REST server against requests it must refuse: clear answers, nothing held. */
class AbusiveClientsIT {

  private static SeldonServer server;

  @BeforeAll
  static void start() {
    server = SeldonServer.start(new SeldonServerIT.Doubler(), WrapperConfig.ephemeral());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String exchange(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      // The head, then the body its Content-Length announces (the server may keep the connection open).
      StringBuilder head = new StringBuilder();
      int b;
      while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
        head.append((char) b);
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
      int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
      return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBodyAnnouncedLargerThanTheLimitIs413BeforeItIsRead() throws IOException {
    long start = System.nanoTime();
    String answer = exchange("POST /predict HTTP/1.1\r\nHost: w\r\nContent-Type: application/json\r\n"
        + "Content-Length: 4000000000\r\n\r\n{\"data\":");
    assertThat(answer).startsWith("HTTP/1.1 413 ").contains("PAYLOAD_TOO_LARGE", "SELDONJ_MAX_BODY_BYTES");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
  }

  @Test
  void malformedHeadsAre400() throws IOException {
    for (String head : new String[] {"Content-Length: -5\r\n", "Content-Length: 5\r\nContent-Length: 6\r\n",
        "NoColonHere\r\n"}) {
      assertThat(exchange("POST /predict HTTP/1.1\r\nHost: w\r\n" + head + "\r\n")).as(head)
          .startsWith("HTTP/1.1 400 ");
    }
  }

  @Test
  void theLimitsDefaultFromTheHeapAndAreRead() {
    WrapperLimits defaults = WrapperLimits.fromEnv(java.util.Map.of());
    assertThat(defaults.maxBodyBytes()).isEqualTo((int) Math.min(Integer.MAX_VALUE - 8,
        Runtime.getRuntime().maxMemory() / 4));
    assertThat(defaults.requestReadTimeoutSeconds()).isEqualTo(60);
    WrapperLimits set = WrapperLimits.fromEnv(java.util.Map.of("SELDONJ_MAX_BODY_BYTES", "1000",
        "SELDONJ_REQUEST_READ_TIMEOUT_SECONDS", "5"));
    assertThat(set).isEqualTo(new WrapperLimits(1000, 5));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WrapperLimits.fromEnv(java.util.Map.of(
        "SELDONJ_MAX_BODY_BYTES", "-1"))).hasMessageContaining("SELDONJ_MAX_BODY_BYTES must be a positive integer");
  }
}
