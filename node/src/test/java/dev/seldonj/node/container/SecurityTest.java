package dev.seldonj.node.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import org.junit.jupiter.api.Test;

class SecurityTest {

    @Test
    void theContainersContextWinsAndSetprivSwitchesUserGroupAndGroups() {
        PodSecurityContext pod = new PodSecurityContextBuilder()
                .withRunAsUser(1000L)
                .withRunAsGroup(1000L)
                .withFsGroup(2000L)
                .withSupplementalGroups(3000L)
                .build();
        Container c = new ContainerBuilder()
                .withName("c")
                .withNewSecurityContext()
                .withRunAsUser(8888L)
                .withReadOnlyRootFilesystem(true)
                .endSecurityContext()
                .build();
        Security s = Security.of(pod, c);
        assertThat(s.uid()).isEqualTo(8888L);
        assertThat(s.gid()).isEqualTo(1000L);
        assertThat(s.readOnlyRoot()).isTrue();
        assertThat(s.setpriv("/usr/bin/setpriv"))
                .containsExactly("/usr/bin/setpriv", "--reuid=8888", "--regid=1000", "--groups=3000,2000", "--");
        assertThat(s.asRoot().setpriv("setpriv")).isEmpty();
        assertThat(s.asRoot().readOnlyRoot()).isTrue();
    }

    @Test
    void noIdentityMeansNoSwitchAndAUserWithoutGroupGetsGroupZero() {
        Container c = new ContainerBuilder().withName("c").build();
        assertThat(Security.of(null, c).setpriv("setpriv")).isEmpty();
        Container user = new ContainerBuilder()
                .withName("c")
                .withNewSecurityContext()
                .withRunAsUser(5L)
                .endSecurityContext()
                .build();
        assertThat(Security.of(null, user).setpriv("setpriv"))
                .containsExactly("setpriv", "--reuid=5", "--regid=0", "--clear-groups", "--");
    }

    @Test
    void runAsNonRootWithoutAUserIsAConfigError() {
        PodSecurityContext pod =
                new PodSecurityContextBuilder().withRunAsNonRoot(true).build();
        assertThatThrownBy(() ->
                        Security.of(pod, new ContainerBuilder().withName("c").build()))
                .isInstanceOfSatisfying(
                        ContainerConfigException.class,
                        e -> assertThat(e.reason()).isEqualTo("CreateContainerConfigError"))
                .hasMessageContaining("runAsNonRoot");
    }

    @Test
    void procStatParsingSurvivesSpacesAndParenthesesInTheCommandName() {
        String line = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 30 0 987654 1000 50";
        ProcessGroups.Stat stat = ProcessGroups.parseStat(4242, line);
        assertThat(stat.state()).isEqualTo('S');
        assertThat(stat.pgrp()).isEqualTo(4242);
        assertThat(stat.startTime()).isEqualTo(987654);
    }
}
