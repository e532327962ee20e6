package dev.seldonj.controller.app;

import dev.seldonj.desired.config.OperatorConfig;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;

/**
 * Starts the Micronaut context that runs the operator, the webhook, health and metrics. The
 * controller's settings arrive typed ({@link OperatorConfig}, read from the settings file by the
 * command line) and are registered as a singleton; Micronaut's own configuration (application.yml,
 * MICRONAUT_CONFIG_FILES) holds only Micronaut's settings: server port, endpoints, metrics, log
 * levels. Of the environment variables only POD_NAMESPACE becomes a property: Kubernetes injects
 * {@code <SERVICE>_SERVICE_HOST}-style variables for every Service in the namespace, which must not
 * turn into Micronaut settings by accident of a release name.
 */
public final class ControllerApplication {

    private ControllerApplication() {}

    /**
     * Starts and, while the server runs, blocks. A failed start is thrown as {@link StartFailed}
     * (the command line prints {@link StartupErrors#describe} of it) instead of Micronaut's own
     * handling, which logs the whole chain of wrapped exceptions and exits.
     */
    public static ApplicationContext start(OperatorConfig settings, String... args) {
        return new QuietStart()
                .args(args)
                .singletons(settings)
                .mainClass(ControllerApplication.class)
                .banner(false)
                .environmentVariableIncludes("POD_NAMESPACE")
                .start();
    }

    /** Thrown when the application context could not start; the cause says why. */
    public static final class StartFailed extends RuntimeException {
        StartFailed(Throwable cause) {
            super(cause);
        }
    }

    private static final class QuietStart extends Micronaut {
        @Override
        protected void handleStartupException(Environment environment, Throwable exception) {
            throw new StartFailed(exception);
        }
    }
}
