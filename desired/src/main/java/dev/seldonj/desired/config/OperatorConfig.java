package dev.seldonj.desired.config;

import dev.seldonj.api.defaults.DefaultingConfig;
import dev.seldonj.api.validation.ValidationContext;
import java.util.List;

/**
 * The controller's typed configuration: the chart's {@code controller.yaml}, read by
 * {@link OperatorConfigLoader}. Every key and its default is in {@code defaults.yml} beside this class
 * (the one place defaults live, see {@link OperatorConfigLoader}); {@code docs/controller.md} describes them.
 * Immutable, so {@code DesiredState} stays a pure function of (SeldonDeployment, OperatorConfig).
 */
public record OperatorConfig(
        String controllerId,
        List<String> watchNamespaces,
        LeaderElection leaderElection,
        Ambassador ambassador,
        Istio istio,
        Keda keda,
        Long defaultUserId,
        boolean deploymentNameAsPrefix,
        Engine engine,
        PredictiveUnit predictiveUnit,
        StorageInitializer storageInitializer,
        Explainer explainer,
        Webhook webhook,
        PredictorServers predictorServers) {

    public OperatorConfig {
        controllerId = controllerId == null ? "" : controllerId;
        watchNamespaces = watchNamespaces == null ? List.of() : List.copyOf(watchNamespaces);
    }

    /** Every setting at its default. */
    public static OperatorConfig defaults() {
        return OperatorConfigLoader.defaults();
    }

    /** What the api module's Defaulter needs: port bases and prepackaged server images. */
    public DefaultingConfig defaultingConfig() {
        return new DefaultingConfig(
                predictiveUnit.httpPort(),
                predictiveUnit.grpcPort(),
                predictiveUnit.metricsPort(),
                predictorServers::image);
    }

    /** What the api module's validator needs: the configured prepackaged servers. */
    public ValidationContext validationContext() {
        return new ValidationContext(predictorServers.names());
    }

    public record LeaderElection(boolean enabled, String leaseName, String leaseNamespace) {}

    public record Ambassador(boolean enabled, boolean singleNamespace) {}

    public record Istio(boolean enabled, String gateway, String tlsMode) {}

    public record Keda(boolean enabled) {}

    public record Probe(int initialDelaySeconds, int periodSeconds, int timeoutSeconds, int failureThreshold) {}

    public record RequestLogger(String defaultEndpoint, int workQueueSize, int writeTimeoutMs) {}

    public record Engine(
            String image,
            String imagePullPolicy,
            int httpPort,
            int grpcPort,
            String prometheusPath,
            Long user,
            String serviceAccountName,
            String cpuRequest,
            String cpuLimit,
            String memoryRequest,
            String memoryLimit,
            String javaOpts,
            Probe readinessProbe,
            Probe livenessProbe,
            Probe startupProbe,
            RequestLogger requestLogger,
            boolean fullHealthChecks) {}

    public record PredictiveUnit(
            int httpPort, int grpcPort, int metricsPort, String metricsPortName, String defaultEnvSecretRefName) {}

    public record StorageInitializer(
            String image, String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {}

    public record Explainer(String image, String imageV2) {}

    public record Webhook(boolean enabled, int port, String certDir) {}
}
