package dev.seldonj.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seldon's own client tools from the virtualenv: {@code SeldonClient} (through
 * {@code compat/python/seldon_client_check.py}) and {@code seldon-core-tester}.
 */
public final class SeldonTools {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final CompatEnvironment env;

    public SeldonTools(CompatEnvironment env) {
        this.env = env.requireVenv();
    }

    public static SeldonTools current() {
        return new SeldonTools(CompatEnvironment.current());
    }

    /** What SeldonClient returned: its success flag and message, and the request and response as JSON. */
    public record ClientResult(boolean success, String msg, JsonNode request, JsonNode response, String output) {}

    /**
     * One SeldonClient call. {@code mode} is {@code microservice} (a component's internal API; methods
     * predict, route, transform-input, transform-output, aggregate, send-feedback) or {@code seldon} (an
     * orchestrator's external API, gateway "seldon"; methods predict, send-feedback).
     *
     * @param data a JSON array such as {@code [[1,2,5]]}, or null for {@code [[1.0, 2.0, 5.0]]}
     * @param payloadType {@code ndarray} or {@code tensor}
     */
    public ClientResult seldonClient(
            String mode, String endpoint, String transport, String method, String data, String payloadType) {
        List<String> command = new ArrayList<>(List.of(
                env.python().toString(),
                env.pythonDir().resolve("seldon_client_check.py").toString(),
                mode,
                endpoint,
                "--transport",
                transport,
                "--method",
                method,
                "--payload-type",
                payloadType));
        if (data != null) {
            command.add("--data");
            command.add(data);
        }
        Processes.Result result = Processes.run(command, env.pythonDir(), Map.of(), TIMEOUT);
        String output = result.output();
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        try {
            JsonNode json = JSON.readTree(last);
            return new ClientResult(
                    json.path("success").asBoolean(),
                    json.path("msg").asText(),
                    json.path("request"),
                    json.path("response"),
                    output);
        } catch (IOException e) {
            throw new AssertionError(
                    "SeldonClient did not report a result (exit " + result.exitCode() + "):\n" + output);
        }
    }

    /**
     * {@code seldon-core-tester <contract> <host> <port> [--grpc] --endpoint <endpoint> -p}: random
     * requests from the contract against a component's internal API.
     */
    public Processes.Result tester(
            String contractFile, String host, int port, boolean grpc, String endpoint, int requests) {
        List<String> command = new ArrayList<>(List.of(
                env.bin("seldon-core-tester").toString(),
                env.contract(contractFile).toString(),
                host,
                String.valueOf(port),
                "--endpoint",
                endpoint,
                "-n",
                String.valueOf(requests),
                "-p"));
        if (grpc) {
            command.add("--grpc");
        }
        return Processes.run(command, env.pythonDir(), Map.of(), TIMEOUT);
    }

    /** Runs a script of {@code compat/python} with the virtualenv's interpreter. */
    public Processes.Result python(String script, String... args) {
        List<String> command = new ArrayList<>(
                List.of(env.python().toString(), env.pythonDir().resolve(script).toString()));
        command.addAll(List.of(args));
        return Processes.run(command, env.pythonDir(), Map.of(), TIMEOUT);
    }
}
