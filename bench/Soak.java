// Soak: the engine jar at -Xmx128m under steady load (wrk) with faults mixed in, slice by slice.
// Run by bench/soak.sh (`make soak`): java -cp <engine jar> bench/Soak.java <jar> <minutes> <slice s> <conns> <body file>
// Prints per slice: requests/s, latency, non-2xx and socket errors of the load, faults run and their unexpected
// outcomes, RSS, threads and fds of the engine; at start and end also its heap after a full GC.

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import io.seldon.protos.SeldonGrpc;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

public class Soak {

  static final String GOOD = "{\"data\":{\"ndarray\":[[1.0]]}}";
  static final String PREDICT = "POST /api/v1.0/predictions HTTP/1.1\r\nHost: engine\r\nContent-Type: application/json\r\n";
  static int http;
  static int grpc;
  static final Map<String, AtomicLong[]> faults = new ConcurrentHashMap<>(); // kind -> {run, unexpected}
  static final Map<String, String> lastUnexpected = new ConcurrentHashMap<>();
  static volatile boolean running = true;

  public static void main(String[] args) throws Exception {
    String jar = args[0];
    double minutes = Double.parseDouble(args[1]);
    int slice = Integer.parseInt(args[2]);
    int conns = Integer.parseInt(args[3]);
    String bodyFile = args[4];
    ServerSocket component = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> accept(component));
    acceptor.setDaemon(true);
    acceptor.start();
    Path sdep = Files.createTempFile("soak", ".yaml");
    Files.writeString(sdep, """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata:
          name: soak
        spec:
          annotations:
            seldon.io/rest-timeout: "1000"
          predictors:
          - name: main
            componentSpecs:
            - spec:
                containers:
                - name: model
                  image: test/model:1.0
                  ports: [{name: http, containerPort: %d}]
            graph:
              name: model
              type: MODEL
        """.formatted(component.getLocalPort()));
    http = freePort();
    grpc = freePort();
    Path log = Files.createTempFile("soak-engine", ".log");
    Process engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-jar", jar, "--file", sdep.toString(), "--http_port", "" + http, "--grpc_port", "" + grpc,
        "--header_read_timeout_ms", "2000", "--idle_timeout_ms", "5000", "--annotations_file", "/nonexistent")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          if (status(exchange(("GET /live HTTP/1.1\r\nHost: e\r\n\r\n").getBytes())) == 200) {
            break;
          }
        } catch (IOException e) {
          if (!engine.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException("engine did not start; log: " + log);
          }
          Thread.sleep(200);
        }
      }
      run(engine, minutes, slice, conns, bodyFile);
    } finally {
      running = false;
      engine.destroy();
      engine.waitFor(20, TimeUnit.SECONDS);
      component.close();
      System.out.println("engine log: " + log);
    }
  }

  static void run(Process engine, double minutes, int slice, int conns, String bodyFile) throws Exception {
    long pid = engine.pid();
    // Warm-up: 10 s of load, then the baseline.
    wrk(10, conns, bodyFile);
    System.out.printf("start: heap after GC %s, RSS %s, threads %d, fds %d%n", heapAfterGc(pid), rss(pid), threads(pid),
        fds(pid));
    ExecutorService faultThreads = Executors.newFixedThreadPool(3);
    List<Future<?>> loops = new ArrayList<>();
    loops.add(faultThreads.submit(() -> loop(Soak::quickFaults)));
    loops.add(faultThreads.submit(() -> loop(Soak::slowClients)));
    loops.add(faultThreads.submit(() -> loop(Soak::memoryFaults)));
    int slices = (int) Math.max(1, Math.round(minutes * 60 / slice));
    System.out.println("| slice | req/s | p50 / p99 latency | load non-2xx | load socket errors | faults run | unexpected | RSS | threads | fds |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    long totalRequests = 0;
    long totalErrors = 0;
    for (int i = 1; i <= slices; i++) {
      long faultsBefore = count(0);
      long unexpectedBefore = count(1);
      Map<String, String> w = wrk(slice, conns, bodyFile);
      totalRequests += Long.parseLong(w.getOrDefault("requests", "0"));
      long non2xx = Long.parseLong(w.getOrDefault("non2xx", "0"));
      long socketErrors = Long.parseLong(w.getOrDefault("socketErrors", "0"));
      totalErrors += non2xx + socketErrors;
      System.out.printf("| %d | %s | %s / %s | %d | %d | %d | %d | %s | %d | %d |%n", i, w.get("rps"), w.get("p50"),
          w.get("p99"), non2xx, socketErrors, count(0) - faultsBefore, count(1) - unexpectedBefore, rss(pid),
          threads(pid), fds(pid));
      if (!engine.isAlive()) {
        System.out.println("ENGINE DIED");
        break;
      }
    }
    running = false;
    for (Future<?> f : loops) {
      f.get(60, TimeUnit.SECONDS);
    }
    faultThreads.shutdown();
    Thread.sleep(6_000); // idle connections of the faults close (idle timeout 5 s)
    System.out.printf("end: heap after GC %s, RSS %s, threads %d, fds %d%n", heapAfterGc(pid), rss(pid), threads(pid),
        fds(pid));
    System.out.printf("load: %d requests, %d errors (non-2xx + socket)%n", totalRequests, totalErrors);
    System.out.println("| fault | run | unexpected |");
    System.out.println("|---|---|---|");
    new TreeMap<>(faults).forEach((k, v) -> System.out.printf("| %s | %d | %d |%n", k, v[0].get(), v[1].get()));
    lastUnexpected.forEach((k, v) -> System.out.println("last unexpected " + k + ": " + v));
  }

  interface Body {
    void run() throws Exception;
  }

  static void loop(Body body) {
    while (running) {
      try {
        body.run();
      } catch (Exception e) {
        outcome("harness", false, e.toString());
      }
    }
  }

  static long count(int i) {
    return faults.values().stream().mapToLong(v -> v[i].get()).sum();
  }

  static void outcome(String kind, boolean expected, String detail) {
    AtomicLong[] c = faults.computeIfAbsent(kind, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    c[0].incrementAndGet();
    if (!expected) {
      c[1].incrementAndGet();
      lastUnexpected.put(kind, detail.length() > 300 ? detail.substring(0, 300) : detail);
    }
  }

  static void expect(String kind, String answer, int... statuses) {
    int s = status(answer);
    boolean ok = false;
    for (int x : statuses) {
      ok |= s == x;
    }
    if (ok && s == 503) {
      ok = answer.toLowerCase(Locale.ROOT).contains("retry-after: 1") && answer.contains("ENGINE_OVERLOADED");
    }
    outcome(kind, ok, answer);
  }

  /** Malformed heads, bad chunks, huge and compressed bodies, component hangs, pipelining: quick ones in turn. */
  static void quickFaults() throws Exception {
    expect("431 100 KB header", exchange((PREDICT + "X-Big: " + "a".repeat(100_000) + "\r\nContent-Length: 2\r\n\r\n{}")
        .getBytes()), 431);
    expect("400 bad chunk", exchange((PREDICT + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n").getBytes()), 400);
    expect("400 two Content-Lengths", exchange((PREDICT + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n").getBytes()), 400);
    expect("413 announced 1 GiB", exchange((PREDICT + "Content-Length: 1073741824\r\n\r\n").getBytes()), 413);
    expect("413 gzip bomb (503 when the budget is full)", exchange(gzipBomb()), 413, 503);
    expect("504 component hang", exchange(request(GOOD, "X-Evil: hang")), 504);
    expect("500 component huge answer", exchange(request(GOOD, "X-Evil: huge")), 500);
    // Pipelined with jittered latency: answers in order.
    Random r = new Random();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      all.append(PREDICT).append("Seldon-Puid: p").append(i).append("\r\nX-Evil: delay:").append(r.nextInt(50))
          .append("\r\nContent-Length: ").append(GOOD.length()).append("\r\n\r\n").append(GOOD);
    }
    try (Socket s = connect()) {
      s.getOutputStream().write(all.toString().getBytes());
      StringBuilder order = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        Matcher m = Pattern.compile("(?i)seldon-puid: (p\\d+)").matcher(readAnswer(s.getInputStream()));
        order.append(m.find() ? m.group(1) : "?").append(' ');
      }
      outcome("pipelined in order", order.toString().equals("p0 p1 p2 p3 p4 p5 p6 p7 p8 p9 "), order.toString());
    }
    Thread.sleep(200);
  }

  /** Slowloris, half-sent bodies and an idle keep-alive flood: each waits out its timeout. */
  static void slowClients() throws Exception {
    List<Socket> slow = new ArrayList<>();
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Socket s = connect();
        s.getOutputStream().write((PREDICT + "X-Slow: ").getBytes());
        slow.add(s);
      }
      Socket half = connect();
      half.getOutputStream().write((PREDICT + "Content-Length: 100\r\n\r\n{\"data\"").getBytes());
      for (int i = 0; i < 100; i++) {
        idle.add(connect());
      }
      for (Socket s : slow) {
        expect("408 slowloris", readAnswer(s.getInputStream()), 408);
      }
      expect("408 half-sent body", readAnswer(half.getInputStream()), 408);
      half.close();
      for (Socket s : idle) {
        s.setSoTimeout(15_000);
        outcome("idle keep-alive closed", s.getInputStream().read() < 0, "not closed");
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  /** Large bodies and answers at once, beyond the memory budget, and a 100 MiB gRPC message. */
  static void memoryFaults() throws Exception {
    String big = "{\"strData\":\"" + "x".repeat(12_000_000) + "\"}";
    byte[] bigRequest = request(big);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(pool.submit(() -> exchange(bigRequest)));
        answers.add(pool.submit(() -> exchange(request(GOOD, "X-Evil: big:8000000"))));
      }
      for (Future<String> f : answers) {
        expect("200/503 large bodies and answers", f.get(60, TimeUnit.SECONDS), 200, 503);
      }
    } finally {
      pool.shutdownNow();
    }
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc).usePlaintext().build();
    try {
      SeldonGrpc.SeldonBlockingStub stub = SeldonGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      try {
        stub.predict(SeldonMessage.newBuilder().setBinData(UnsafeByteOperations.unsafeWrap(new byte[100 << 20])).build());
        outcome("gRPC 100 MiB RESOURCE_EXHAUSTED", false, "accepted");
      } catch (StatusRuntimeException e) {
        outcome("gRPC 100 MiB RESOURCE_EXHAUSTED", e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED,
            e.getStatus().toString());
      }
      SeldonMessage good = SeldonMessage.newBuilder().setData(DefaultData.newBuilder()
          .setTensor(Tensor.newBuilder().addShape(1).addShape(1).addValues(1.0))).build();
      outcome("gRPC good after huge, same channel", stub.predict(good).hasData(), "no data");
    } catch (StatusRuntimeException e) {
      outcome("gRPC good after huge, same channel", false, e.getStatus().toString());
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    Thread.sleep(1000);
  }

  static byte[] gzipBomb() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 100; i++) {
        z.write(zeros);
      }
    }
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    r.write((PREDICT + "Content-Encoding: gzip\r\nContent-Length: " + gz.size() + "\r\n\r\n").getBytes());
    gz.writeTo(r);
    return r.toByteArray();
  }

  static Map<String, String> wrk(int seconds, int conns, String bodyFile) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("wrk", "-t1", "-c" + conns, "-d" + seconds + "s", "--latency", "-s",
        Path.of("bench", "post.lua").toString(), "http://127.0.0.1:" + http + "/api/v1.0/predictions");
    pb.environment().put("BODY_FILE", bodyFile);
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Map<String, String> m = new HashMap<>();
    m.put("rps", find(out, "Requests/sec:\\s+([\\d.]+)", "?"));
    m.put("requests", find(out, "(\\d+) requests in", "0"));
    m.put("p50", find(out, "50%\\s+(\\S+)", "?"));
    m.put("p99", find(out, "99%\\s+(\\S+)", "?"));
    m.put("non2xx", find(out, "Non-2xx or 3xx responses: (\\d+)", "0"));
    Matcher se = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
    long socketErrors = 0;
    if (se.find()) {
      for (int i = 1; i <= 4; i++) {
        socketErrors += Long.parseLong(se.group(i));
      }
    }
    m.put("socketErrors", "" + socketErrors);
    return m;
  }

  static String find(String text, String regex, String otherwise) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : otherwise;
  }

  static String heapAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    return m.find() ? (Long.parseLong(m.group(1)) / 1024) + " MiB" : "?";
  }

  static String jcmd(long pid, String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), "" + pid, command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static String rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", "" + pid, "status"))) {
      if (line.startsWith("VmRSS:")) {
        return (Long.parseLong(line.replaceAll("\\D", "")) / 1024) + " MiB";
      }
    }
    return "?";
  }

  static long threads(long pid) throws IOException {
    try (var s = Files.list(Path.of("/proc", "" + pid, "task"))) {
      return s.count();
    }
  }

  static long fds(long pid) throws IOException {
    try (var s = Files.list(Path.of("/proc", "" + pid, "fd"))) {
      return s.count();
    }
  }

  // ------------------------------------------------------------------ the component (keep-alive, X-Evil modes)

  static void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s));
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  static final byte[] OK = ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n"
      + "{\"data\":{\"names\":[\"a\"],\"ndarray\":[[1]]}}").getBytes();

  static void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String length = header(head, "content-length");
        in.skipNBytes(length.isEmpty() ? 0 : Long.parseLong(length));
        String mode = header(head, "x-evil");
        if (mode.startsWith("delay:")) {
          Thread.sleep(Long.parseLong(mode.substring(6)));
          mode = "";
        }
        if (mode.equals("hang")) {
          in.transferTo(OutputStream.nullOutputStream());
          return;
        }
        if (mode.equals("huge")) {
          out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + (200L << 20) + "\r\n\r\n").getBytes());
          byte[] zeros = new byte[64 * 1024];
          for (int i = 0; i < 3200; i++) {
            out.write(zeros);
          }
          return;
        }
        if (mode.startsWith("big:")) {
          int size = Integer.parseInt(mode.substring(4));
          byte[] body = new byte[size];
          byte[] start = "{\"strData\":\"".getBytes();
          System.arraycopy(start, 0, body, 0, start.length);
          Arrays.fill(body, start.length, size - 2, (byte) 'x');
          body[size - 2] = '"';
          body[size - 1] = '}';
          out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + size + "\r\n\r\n").getBytes());
          out.write(body);
        } else {
          out.write(OK);
        }
        out.flush();
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the engine hung up
    }
  }

  // ------------------------------------------------------------------ raw HTTP client

  static byte[] request(String body, String... headers) {
    StringBuilder r = new StringBuilder(PREDICT);
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    r.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
    return r.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", http), 5_000);
    s.setSoTimeout(30_000);
    return s;
  }

  static String exchange(byte[] request) throws IOException {
    try (Socket s = connect()) {
      Thread writer = new Thread(() -> {
        try {
          s.getOutputStream().write(request);
        } catch (IOException e) {
          // answered early
        }
      });
      writer.setDaemon(true);
      writer.start();
      return readAnswer(s.getInputStream());
    } catch (IOException e) {
      return "HTTP/1.1 000 " + e;
    }
  }

  static String readAnswer(InputStream in) throws IOException {
    String head = readHead(in);
    if (head == null) {
      return "HTTP/1.1 000 closed without an answer";
    }
    String length = header(head, "content-length");
    return head + new String(in.readNBytes(length.isEmpty() ? 0 : Integer.parseInt(length)), StandardCharsets.UTF_8);
  }

  static int status(String answer) {
    try {
      return Integer.parseInt(answer.substring(9, 12));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
          : b == '\r' ? 1 : 0;
      if (state == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      }
    }
    return "";
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
