package dev.seldonj.controller.reconcile;

import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.model.SeldonDeploymentStatus;
import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.api.validation.Problem;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.desired.DesiredState;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop, kept thin: validate (the api validators, as the webhook) -> desired state ->
 * apply and clean up ({@link Applier}, server-side apply) -> status rebuilt from what is observed,
 * written only when it changed ({@link StatusWriter}). An invalid resource gets {@code Failed} with
 * every problem and its path, a Warning Event, and nothing is applied. Errors from the API server
 * are rethrown so the Java Operator SDK retries with backoff.
 */
public final class SeldonDeploymentReconciler implements Reconciler<SeldonDeployment> {

    private static final Logger LOG = LoggerFactory.getLogger(SeldonDeploymentReconciler.class);

    private final OperatorConfig config;
    private final SeldonDeploymentValidator validator;
    private final Applier applier;
    private final StatusBuilder statusBuilder;
    private final EventRecorder events;
    private final LiveObjects live = new LiveObjects();
    private final Counter applied;
    private final Counter failures;

    public SeldonDeploymentReconciler(
            KubernetesClient client, OperatorConfig config, MeterRegistry meters, Clock clock) {
        this.config = config;
        this.validator = new SeldonDeploymentValidator(config.validationContext());
        this.applier = new Applier(client);
        this.statusBuilder = new StatusBuilder(clock, config.engine().httpPort());
        this.events = new EventRecorder(client, clock);
        this.applied = Counter.builder("seldonj.controller.objects.applied")
                .description("Objects written by server-side apply")
                .register(meters);
        this.failures = Counter.builder("seldonj.controller.reconcile.failures")
                .description("Reconciliations that ended with an invalid resource or an error")
                .register(meters);
    }

    @Override
    public List<EventSource<?, SeldonDeployment>> prepareEventSources(EventSourceContext<SeldonDeployment> context) {
        return live.create(ManagedKind.enabled(config), context);
    }

    @Override
    public UpdateControl<SeldonDeployment> reconcile(SeldonDeployment sdep, Context<SeldonDeployment> context) {
        SeldonDeploymentValidator.Result validation = validator.validate(sdep);
        if (!validation.valid()) {
            return invalid(sdep, context, validation.errors());
        }
        List<HasMetadata> desired;
        try {
            desired = DesiredState.of(sdep, config);
        } catch (InvalidManifestException e) {
            return invalid(sdep, context, e.problems());
        }
        Applier.Outcome outcome = applier.apply(sdep, desired, live);
        applied.increment(outcome.applied());
        if (outcome.applied() > 0 || outcome.deleted() > 0) {
            LOG.debug(
                    "{}/{}: applied {}, unchanged {}, deleted {}",
                    sdep.getMetadata().getNamespace(),
                    sdep.getMetadata().getName(),
                    outcome.applied(),
                    outcome.unchanged(),
                    outcome.deleted());
        }
        writeStatusIfChanged(sdep, context, s -> statusBuilder.observed(s, desired, live));
        return UpdateControl.noUpdate();
    }

    @Override
    public ErrorStatusUpdateControl<SeldonDeployment> updateErrorStatus(
            SeldonDeployment sdep, Context<SeldonDeployment> context, Exception e) {
        failures.increment();
        String message = e instanceof KubernetesClientException k
                        && k.getStatus() != null
                        && k.getStatus().getMessage() != null
                ? k.getStatus().getMessage()
                : e.getMessage();
        LOG.warn(
                "{}/{}: reconcile failed: {}",
                sdep.getMetadata().getNamespace(),
                sdep.getMetadata().getName(),
                message);
        events.warning(sdep, EventRecorder.Reason.ReconcileFailed, message);
        try {
            writeStatusIfChanged(sdep, context, s -> statusBuilder.failed(s, message));
        } catch (RuntimeException statusError) {
            // The retry that follows tries again; the event and the log already carry the message.
            LOG.warn(
                    "{}/{}: could not write the Failed status: {}",
                    sdep.getMetadata().getNamespace(),
                    sdep.getMetadata().getName(),
                    statusError.getMessage());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private UpdateControl<SeldonDeployment> invalid(
            SeldonDeployment sdep, Context<SeldonDeployment> context, List<Problem> problems) {
        failures.increment();
        SeldonDeploymentStatus status = statusBuilder.invalid(sdep, problems);
        events.warning(sdep, EventRecorder.Reason.InvalidSpec, status.getDescription());
        writeStatusIfChanged(sdep, context, s -> statusBuilder.invalid(s, problems));
        return UpdateControl.noUpdate();
    }

    /** Writes the status only when it differs from the stored one, so an unchanged world costs no write. */
    private static void writeStatusIfChanged(
            SeldonDeployment sdep,
            Context<SeldonDeployment> context,
            Function<SeldonDeployment, SeldonDeploymentStatus> status) {
        if (StatusBuilder.changed(sdep.getStatus(), status.apply(sdep))) {
            StatusWriter.write(sdep, context, status);
        }
    }
}
