package dev.seldonj.node.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStatusesTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00.700Z");
    private static final Instant T1 = Instant.parse("2025-01-01T10:00:05Z");

    private static Pod pod(String restartPolicy) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("ns")
                .withUid("u")
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy(restartPolicy)
                .addToContainers(
                        new ContainerBuilder().withName("b").withImage("img:1").build())
                .addToContainers(
                        new ContainerBuilder().withName("a").withImage("img:1").build())
                .endSpec()
                .build();
    }

    private static ContainerState running() {
        return new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt("2025-01-01T10:00:01Z")
                .endRunning()
                .build();
    }

    private static ContainerState waiting(String reason) {
        return new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(reason)
                .endWaiting()
                .build();
    }

    private static ContainerState exited(int code) {
        return new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(code)
                .withReason(code == 0 ? "Completed" : "Error")
                .endTerminated()
                .build();
    }

    private static ContainerView c(String name, ContainerState state, boolean ready) {
        return new ContainerView(name, "img:1", state, null, 0, ready, state.getRunning() != null, "seldonj://1");
    }

    private static PodView view(
            Pod pod, List<ContainerView> init, List<ContainerView> main, boolean stopped, PodStatus previous) {
        return new PodView(pod, "10.244.100.2", "10.244.100.1", T0, true, init, main, stopped, previous);
    }

    private static PodCondition condition(PodStatus s, String type) {
        return s.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aRunningReadyPodHasAllConditionsTrueAddressesAndSortedStatuses() {
        PodStatus s = PodStatuses.build(
                view(pod(null), List.of(), List.of(c("b", running(), true), c("a", running(), true)), false, null), T1);
        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(s.getConditions())
                .extracting(PodCondition::getType)
                .containsExactly("PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready");
        assertThat(s.getConditions()).allMatch(c -> "True".equals(c.getStatus()) && c.getReason() == null);
        assertThat(s.getPodIP()).isEqualTo("10.244.100.2");
        assertThat(s.getPodIPs()).hasSize(1);
        assertThat(s.getHostIP()).isEqualTo("10.244.100.1");
        assertThat(s.getStartTime()).isEqualTo("2025-01-01T10:00:00Z");
        assertThat(s.getQosClass()).isEqualTo("BestEffort");
        assertThat(s.getContainerStatuses()).extracting(cs -> cs.getName()).containsExactly("a", "b");
        assertThat(s.getContainerStatuses().get(0).getContainerID()).isEqualTo("seldonj://1");
        assertThat(s.getContainerStatuses().get(0).getImageID()).isEqualTo("seldonj://img:1");
    }

    @Test
    void anUnreadyContainerMakesThePodUnreadyAndNamesIt() {
        PodStatus s = PodStatuses.build(
                view(pod(null), List.of(), List.of(c("b", running(), false), c("a", running(), true)), false, null),
                T1);
        PodCondition ready = condition(s, "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("ContainersNotReady");
        assertThat(ready.getMessage()).isEqualTo("containers with unready status: [b]");
    }

    @Test
    void initContainersKeepThePodPendingAndUninitialized() {
        PodStatus s = PodStatuses.build(
                view(
                        pod(null),
                        List.of(c("init", running(), false)),
                        List.of(c("a", waiting("PodInitializing"), false), c("b", waiting("PodInitializing"), false)),
                        false,
                        null),
                T1);
        assertThat(s.getPhase()).isEqualTo("Pending");
        assertThat(condition(s, "Initialized").getMessage()).isEqualTo("containers with incomplete status: [init]");
        assertThat(s.getInitContainerStatuses()).hasSize(1);
    }

    @Test
    void aFailedInitContainerFailsANeverRestartingPod() {
        PodView v = view(
                pod("Never"),
                List.of(c("init", exited(1), false)),
                List.of(c("a", waiting("PodInitializing"), false), c("b", waiting("PodInitializing"), false)),
                false,
                null);
        assertThat(PodStatuses.phase(v)).isEqualTo("Failed");
        PodView always = view(pod("Always"), v.initContainers(), v.containers(), false, null);
        assertThat(PodStatuses.phase(always)).isEqualTo("Pending");
    }

    @Test
    void phasesFollowKubeletsRulesForExitedContainers() {
        List<ContainerView> allZero = List.of(c("a", exited(0), false), c("b", exited(0), false));
        List<ContainerView> oneFailed = List.of(c("a", exited(0), false), c("b", exited(1), false));
        assertThat(PodStatuses.phase(view(pod("Never"), List.of(), allZero, false, null)))
                .isEqualTo("Succeeded");
        assertThat(PodStatuses.phase(view(pod("OnFailure"), List.of(), allZero, false, null)))
                .isEqualTo("Succeeded");
        assertThat(PodStatuses.phase(view(pod("Never"), List.of(), oneFailed, false, null)))
                .isEqualTo("Failed");
        assertThat(PodStatuses.phase(view(pod("OnFailure"), List.of(), oneFailed, false, null)))
                .isEqualTo("Running");
        assertThat(PodStatuses.phase(view(pod(null), List.of(), allZero, false, null)))
                .isEqualTo("Running");
        ContainerView crashLooping =
                new ContainerView("b", "img:1", waiting("CrashLoopBackOff"), exited(1), 3, false, false, null);
        assertThat(PodStatuses.phase(
                        view(pod(null), List.of(), List.of(c("a", running(), true), crashLooping), false, null)))
                .isEqualTo("Running");
        assertThat(PodStatuses.phase(view(
                        pod(null),
                        List.of(),
                        List.of(c("a", running(), true), c("b", waiting("ImageNotMapped"), false)),
                        false,
                        null)))
                .isEqualTo("Pending");
    }

    @Test
    void aPodStoppedForDeletionIsTerminalAndNotReady() {
        PodView sigterm =
                view(pod(null), List.of(), List.of(c("a", exited(143), false), c("b", exited(0), false)), true, null);
        PodStatus s = PodStatuses.build(sigterm, T1);
        assertThat(s.getPhase()).isEqualTo("Failed");
        assertThat(condition(s, "Ready").getReason()).isEqualTo("PodCompleted");
        assertThat(condition(s, "PodReadyToStartContainers").getStatus()).isEqualTo("False");
        PodView clean =
                view(pod(null), List.of(), List.of(c("a", exited(0), false), c("b", exited(0), false)), true, null);
        assertThat(PodStatuses.phase(clean)).isEqualTo("Succeeded");
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileTheyHold() {
        List<ContainerView> ready = List.of(c("a", running(), true), c("b", running(), true));
        PodStatus first = PodStatuses.build(view(pod(null), List.of(), ready, false, null), T0);
        PodStatus again = PodStatuses.build(view(pod(null), List.of(), ready, false, first), T1);
        assertThat(again).isEqualTo(first);
        assertThat(condition(again, "Ready").getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
        PodStatus unready = PodStatuses.build(
                view(pod(null), List.of(), List.of(c("a", running(), false), c("b", running(), true)), false, first),
                T1);
        assertThat(condition(unready, "Ready").getLastTransitionTime()).isEqualTo("2025-01-01T10:00:05Z");
        assertThat(condition(unready, "Initialized").getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
    }

    @Test
    void readinessGatesMustBeTrueForReady() {
        Pod gated = new PodBuilder(pod(null))
                .editSpec()
                .addNewReadinessGate()
                .withConditionType("example.com/lb")
                .endReadinessGate()
                .endSpec()
                .build();
        List<ContainerView> ready = List.of(c("a", running(), true), c("b", running(), true));
        PodStatus s = PodStatuses.build(view(gated, List.of(), ready, false, null), T1);
        assertThat(condition(s, "ContainersReady").getStatus()).isEqualTo("True");
        assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
        Pod met = new PodBuilder(gated)
                .withNewStatus()
                .addNewCondition()
                .withType("example.com/lb")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        assertThat(condition(PodStatuses.build(view(met, List.of(), ready, false, null), T1), "Ready")
                        .getStatus())
                .isEqualTo("True");
    }

    @Test
    void qosClassIsKeptFromTheApiServerOrComputed() {
        Pod guaranteed = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("a")
                .withNewResources()
                .addToLimits("cpu", new Quantity("1"))
                .addToLimits("memory", new Quantity("1Gi"))
                .addToRequests("cpu", new Quantity("1000m"))
                .addToRequests("memory", new Quantity("1Gi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        assertThat(PodStatuses.qosClass(guaranteed)).isEqualTo("Guaranteed");
        Pod burstable = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("a")
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        assertThat(PodStatuses.qosClass(burstable)).isEqualTo("Burstable");
        Pod given = new PodBuilder(burstable)
                .withNewStatus()
                .withQosClass("Guaranteed")
                .endStatus()
                .build();
        assertThat(PodStatuses.qosClass(given)).isEqualTo("Guaranteed");
    }
}
