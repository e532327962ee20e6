package dev.seldonj.local;

import dev.seldonj.local.gateway.Gateway;
import dev.seldonj.local.gateway.Routes;
import dev.seldonj.local.ports.LocalPorts;
import dev.seldonj.local.process.LocalProcess;
import dev.seldonj.local.process.ProcessSupervisor;
import dev.seldonj.local.volumes.LocalVolumes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A plan running locally: its processes and gateways. Closing it stops them all. */
public final class RunningDeployment implements AutoCloseable {

    private final ProcessSupervisor supervisor;
    private final Gateway gateway;
    private final Routes routes;
    private final LocalPorts ports;
    private final LocalVolumes volumes;
    private boolean closed;

    RunningDeployment(
            ProcessSupervisor supervisor, Gateway gateway, Routes routes, LocalPorts ports, LocalVolumes volumes) {
        this.supervisor = supervisor;
        this.gateway = gateway;
        this.routes = routes;
        this.ports = ports;
        this.volumes = volumes;
    }

    public int restPort() {
        return gateway.restPort();
    }

    public int grpcPort() {
        return gateway.grpcPort();
    }

    public List<LocalProcess> processes() {
        return supervisor.processes();
    }

    public LocalPorts ports() {
        return ports;
    }

    /** Completes with the first process that exits on its own (the runner did not stop it). */
    public CompletableFuture<LocalProcess> firstUnexpectedExit() {
        return supervisor.firstUnexpectedExit();
    }

    /** What to try: a curl per REST route and the gRPC address with its metadata. */
    public List<String> usage() {
        List<String> lines = new ArrayList<>();
        for (String prefix : routes.restPrefixes()) {
            lines.add("curl -X POST -H 'Content-Type: application/json' -d '{\"data\":{\"ndarray\":[[1,2,3,4]]}}' "
                    + "http://localhost:" + restPort() + prefix + (prefix.endsWith("/") ? "" : "/")
                    + "api/v1.0/predictions");
        }
        for (Map<String, String> headers : routes.grpcHeaders()) {
            lines.add("gRPC: localhost:" + grpcPort() + " (h2c, e.g. seldon.protos.Seldon/Predict) with metadata "
                    + headers);
        }
        return lines;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        gateway.close();
        supervisor.close();
        volumes.close();
    }
}
