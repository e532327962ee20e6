package dev.seldonj.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod's status as kubelet computes it, from what the agent observed: the phase (kubelet's getPhase),
 * the four conditions the node owns (PodReadyToStartContainers, Initialized, ContainersReady, Ready;
 * PodScheduled is the scheduler's), addresses, start time, QoS class and the container statuses.
 * A pure function: the same view gives the same status, so "changed?" is an equals.
 */
public final class PodStatuses {

    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    private PodStatuses() {}

    public static PodStatus build(PodView view, Instant now) {
        Pod pod = view.pod();
        String phase = phase(view);
        boolean terminal = SUCCEEDED.equals(phase) || FAILED.equals(phase);
        List<PodCondition> previous =
                view.previous() == null ? List.of() : view.previous().getConditions();

        List<String> incompleteInit = view.initContainers().stream()
                .filter(c -> !c.succeeded())
                .map(ContainerView::name)
                .toList();
        List<String> unready = view.containers().stream()
                .filter(c -> !c.ready())
                .map(ContainerView::name)
                .sorted()
                .toList();
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(
                previous, now, "PodReadyToStartContainers", view.sandboxReady() && !view.stopped(), null, null));
        if (terminal) {
            conditions.add(condition(previous, now, "Initialized", incompleteInit.isEmpty(), "PodCompleted", null));
            conditions.add(condition(previous, now, "ContainersReady", false, "PodCompleted", null));
            conditions.add(condition(previous, now, "Ready", false, "PodCompleted", null));
        } else {
            conditions.add(
                    incompleteInit.isEmpty()
                            ? condition(previous, now, "Initialized", true, null, null)
                            : condition(
                                    previous,
                                    now,
                                    "Initialized",
                                    false,
                                    "ContainersNotInitialized",
                                    "containers with incomplete status: " + bracket(incompleteInit)));
            String unreadyMessage = "containers with unready status: " + bracket(unready);
            conditions.add(
                    unready.isEmpty()
                            ? condition(previous, now, "ContainersReady", true, null, null)
                            : condition(previous, now, "ContainersReady", false, "ContainersNotReady", unreadyMessage));
            conditions.add(ready(view, previous, now, unready, unreadyMessage));
        }

        PodStatusBuilder status = new PodStatusBuilder()
                .withPhase(phase)
                .withConditions(conditions)
                .withHostIP(view.hostIp())
                .withHostIPs(new HostIP(view.hostIp()))
                .withStartTime(view.startTime() == null ? null : time(view.startTime()))
                .withQosClass(qosClass(pod))
                .withInitContainerStatuses(
                        view.initContainers().stream().map(PodStatuses::status).toList())
                .withContainerStatuses(view.containers().stream()
                        .sorted(Comparator.comparing(ContainerView::name))
                        .map(PodStatuses::status)
                        .toList());
        if (view.podIp() != null) {
            status.withPodIP(view.podIp()).withPodIPs(new PodIP(view.podIp()));
        }
        return status.build();
    }

    /** kubelet's getPhase. */
    public static String phase(PodView view) {
        String policy = restartPolicy(view.pod());
        for (ContainerView init : view.initContainers()) {
            if (init.succeeded()) {
                continue;
            }
            boolean failed = init.terminated() || init.restarting();
            if (failed && "Never".equals(policy)) {
                return FAILED;
            }
            return view.stopped() ? FAILED : PENDING;
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (ContainerView c : view.containers()) {
            if (c.running()) {
                running++;
            } else if (c.terminated()) {
                stopped++;
                if (c.succeeded()) {
                    succeeded++;
                }
            } else if (c.restarting()) {
                stopped++;
            } else {
                waiting++;
            }
        }
        if (view.stopped() && running == 0) {
            // A pod stopped for deletion is terminal: succeeded only if every container exited 0.
            return stopped == succeeded && waiting == 0 ? SUCCEEDED : FAILED;
        }
        if (waiting > 0) {
            return PENDING;
        }
        if (running > 0) {
            return RUNNING;
        }
        if (stopped > 0) {
            if ("Always".equals(policy)) {
                return RUNNING;
            }
            if (stopped == succeeded) {
                return SUCCEEDED;
            }
            if ("Never".equals(policy)) {
                return FAILED;
            }
            return RUNNING;
        }
        return PENDING;
    }

    public static String restartPolicy(Pod pod) {
        String policy = pod.getSpec().getRestartPolicy();
        return policy == null || policy.isEmpty() ? "Always" : policy;
    }

    private static PodCondition ready(
            PodView view, List<PodCondition> previous, Instant now, List<String> unready, String unreadyMessage) {
        if (!unready.isEmpty()) {
            return condition(previous, now, "Ready", false, "ContainersNotReady", unreadyMessage);
        }
        List<PodCondition> current = view.pod().getStatus() == null
                ? List.of()
                : view.pod().getStatus().getConditions();
        List<String> missing = new ArrayList<>();
        for (PodReadinessGate gate : view.pod().getSpec().getReadinessGates()) {
            boolean met = current.stream()
                    .anyMatch(c -> gate.getConditionType().equals(c.getType()) && "True".equals(c.getStatus()));
            if (!met) {
                missing.add(gate.getConditionType());
            }
        }
        if (!missing.isEmpty()) {
            return condition(
                    previous,
                    now,
                    "Ready",
                    false,
                    "ReadinessGatesNotReady",
                    "the status of pod readiness gate(s) " + missing + " is not \"True\"");
        }
        return condition(previous, now, "Ready", true, null, null);
    }

    private static PodCondition condition(
            List<PodCondition> previous, Instant now, String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(time(now));
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(since)
                .build();
    }

    static ContainerStatus status(ContainerView c) {
        return new ContainerStatusBuilder()
                .withName(c.name())
                .withImage(c.image())
                .withImageID(c.image() == null ? "" : "seldonj://" + c.image())
                .withContainerID(c.containerId())
                .withReady(c.ready())
                .withStarted(c.started())
                .withRestartCount(c.restartCount())
                .withState(c.state())
                .withLastState(c.lastState() == null ? new ContainerState() : c.lastState())
                .build();
    }

    /** The pod's own QoS class when the API server set it, else computed the same way. */
    static String qosClass(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getQosClass() != null) {
            return pod.getStatus().getQosClass();
        }
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        all.addAll(pod.getSpec().getInitContainers());
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : all) {
            Map<String, Quantity> requests =
                    c.getResources() == null || c.getResources().getRequests() == null
                            ? Map.of()
                            : c.getResources().getRequests();
            Map<String, Quantity> limits =
                    c.getResources() == null || c.getResources().getLimits() == null
                            ? Map.of()
                            : c.getResources().getLimits();
            for (String r : List.of("cpu", "memory")) {
                Quantity req = requests.get(r);
                Quantity lim = limits.get(r);
                if (req != null || lim != null) {
                    any = true;
                }
                if (lim == null
                        || req != null
                                && Quantity.getAmountInBytes(req).compareTo(Quantity.getAmountInBytes(lim)) != 0) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /** RFC 3339 in whole seconds, as the API server stores times. */
    public static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String bracket(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
