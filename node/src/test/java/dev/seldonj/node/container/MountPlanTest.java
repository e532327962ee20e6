package dev.seldonj.node.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MountPlanTest {

    /** A host with /, /etc, /tmp, /run, /var with /var/run -> /run, and the state dir's volumes (dirs) and a file. */
    private static final HostFs FS = new HostFs() {
        private final Set<String> dirs = Set.of(
                "/",
                "/etc",
                "/tmp",
                "/run",
                "/var",
                "/var/run",
                "/state",
                "/state/v/tmp",
                "/state/v/config",
                "/state/v/token",
                "/state/v/empty");
        private final Set<String> files = Set.of("/state/v/config/app.yml", "/etc/hosts");

        @Override
        public boolean exists(Path path) {
            return dirs.contains(path.toString()) || files.contains(path.toString());
        }

        @Override
        public boolean isDirectory(Path path) {
            return dirs.contains(path.toString());
        }

        @Override
        public Path realPath(Path existing) {
            return existing.startsWith("/var/run")
                    ? Path.of("/run").resolve(Path.of("/var/run").relativize(existing))
                    : existing;
        }
    };

    private static MountPlan.Plan plan(List<BindMount> mounts, boolean readOnlyRoot) {
        return MountPlan.of(
                new MountPlan.Spec(
                        "pod-a",
                        mounts,
                        Path.of("/state/hosts"),
                        Path.of("/state/resolv.conf"),
                        readOnlyRoot,
                        "/work",
                        Path.of("/state/scratch"),
                        Path.of("/state")),
                FS);
    }

    @Test
    void anExistingMountPointIsBoundDirectlyAndReadOnlyIsARemount() {
        MountPlan.Plan p = plan(
                List.of(
                        new BindMount("/tmp", Path.of("/state/v/tmp"), false),
                        new BindMount("/etc/hosts", Path.of("/state/v/config/app.yml"), true)),
                false);
        assertThat(p.script())
                .contains("mount -c --bind './v/tmp' '/tmp'\n")
                .contains(
                        "mount -c --bind './v/config/app.yml' '/etc/hosts' && mount -o remount,bind,ro '/etc/hosts'\n")
                .doesNotContain("overlay")
                .doesNotContain("seldonj-run");
        // The pod's own hosts file is not bound over a volume mounted on /etc/hosts.
        assertThat(p.script()).doesNotContain("'./hosts' /etc/hosts");
        assertThat(p.createInVolumes()).isEmpty();
        assertThat(p.onHost()).isEmpty();
    }

    @Test
    void secretsUnderVarRunGetATmpfsOverRunFirst() {
        MountPlan.Plan p = plan(
                List.of(new BindMount(
                        "/var/run/secrets/kubernetes.io/serviceaccount", Path.of("/state/v/token"), true)),
                false);
        String s = p.script();
        assertThat(s)
                .contains("mount -t tmpfs -o mode=0755,nosuid,nodev seldonj-run /run\n")
                .contains(
                        "mkdir -p '/run/secrets/kubernetes.io/serviceaccount' && mount -c --bind './v/token'"
                                + " '/run/secrets/kubernetes.io/serviceaccount' && mount -o remount,bind,ro '/run/secrets/kubernetes.io/serviceaccount'");
        assertThat(s.indexOf("seldonj-run")).isLessThan(s.indexOf("mount -c --bind './v/token'"));
        assertThat(p.onHost()).isEmpty();
    }

    @Test
    void aMissingPathBelowAnExistingDirectoryGetsAnOverlayThere() {
        MountPlan.Plan p = plan(
                List.of(
                        new BindMount("/etc/seldonj", Path.of("/state/v/config"), true),
                        new BindMount("/etc/other/deeper", Path.of("/state/v/empty"), false)),
                false);
        String s = p.script();
        assertThat(s)
                .containsOnlyOnce("mount -t overlay")
                .contains("mount -c -t tmpfs -o mode=0700 seldonj-scratch './scratch'\n")
                .contains("mount -t overlay seldonj-overlay -o 'lowerdir=/etc,upperdir=./scratch/o0/upper,"
                        + "workdir=./scratch/o0/work' '/etc'\n")
                .contains("mkdir -p '/etc/seldonj' && mount -c --bind './v/config' '/etc/seldonj'")
                .contains("mkdir -p '/etc/other/deeper' && mount -c --bind");
        assertThat(s.indexOf("seldonj-overlay")).isLessThan(s.indexOf("mount -c --bind './v/config'"));
        assertThat(p.onHost()).isEmpty();
    }

    @Test
    void aMissingPathWhoseNearestDirectoryIsRootIsCreatedOnTheHostAndListed() {
        MountPlan.Plan p = plan(
                List.of(
                        new BindMount("/podinfo", Path.of("/state/v/empty"), false),
                        new BindMount("/app/config.yml", Path.of("/state/v/config/app.yml"), true)),
                false);
        assertThat(p.onHost())
                .containsExactly(
                        new MountPlan.HostPath(Path.of("/podinfo"), true),
                        new MountPlan.HostPath(Path.of("/app/config.yml"), false));
        assertThat(p.script())
                .contains("mount -c --bind './v/empty' '/podinfo'\n")
                .doesNotContain("overlay");
    }

    @Test
    void aMountPointInsideAnEarlierVolumeIsCreatedInThatVolumesHostDirectory() {
        MountPlan.Plan p = plan(
                List.of(
                        new BindMount("/tmp/k8s-webhook-server/serving-certs", Path.of("/state/v/config"), true),
                        new BindMount("/tmp", Path.of("/state/v/tmp"), false)),
                false);
        assertThat(p.createInVolumes())
                .containsExactly(
                        new MountPlan.HostPath(Path.of("/state/v/tmp/k8s-webhook-server/serving-certs"), true));
        String s = p.script();
        assertThat(s.indexOf("'/tmp'\n")).isLessThan(s.indexOf("'/tmp/k8s-webhook-server/serving-certs'"));
    }

    @Test
    void readOnlyRootRemountsEverythingButVolumesSpecialFileSystemsAndHosts() {
        MountPlan.Plan p = plan(List.of(new BindMount("/tmp", Path.of("/state/v/tmp"), false)), true);
        assertThat(p.script())
                .contains("mount -o remount,bind,ro /\n")
                .contains(
                        "case \"$m\" in /|/proc|/proc/*|/sys|/sys/*|/dev|/dev/*|'/tmp'|'/tmp'/*|'/etc/hosts'|'/etc/hosts'/*) ;;"
                                + " *) mount -o remount,bind,ro \"$m\" 2>/dev/null || true ;; esac");
        assertThat(plan(List.of(), false).script()).doesNotContain("remount,bind,ro /");
    }

    @Test
    void theScriptSetsTheHostnameBindsHostsAndResolvConfEntersTheWorkingDirAndExecs() {
        String s = plan(List.of(), false).script();
        assertThat(s)
                .startsWith("set -e\ncd '/state'\nprintf %s 'pod-a' > /proc/sys/kernel/hostname\n")
                .contains("mount -c --bind './hosts' /etc/hosts\n")
                .contains("mount -c --bind './resolv.conf' /etc/resolv.conf\n")
                .contains("cd '/work' || {")
                .endsWith("exec \"$@\"\n");
    }

    @Test
    void aProgramFileUnderAMountedDirectoryIsBoundAgainAtItsPath() {
        // A checkout under /tmp and a pod with an emptyDir on /tmp (the operator chart's): the jar stays visible.
        Path jar = Path.of("/tmp/checkout/controller/target/controller.jar");
        MountPlan.Plan p = MountPlan.of(
                new MountPlan.Spec(
                        null,
                        List.of(new BindMount("/tmp", Path.of("/tmp/checkout/.run/pod/v/tmp"), false)),
                        null,
                        null,
                        true,
                        null,
                        Path.of("/tmp/checkout/.run/pod/scratch"),
                        Path.of("/tmp/checkout/.run/pod"),
                        List.of(Path.of("/usr/bin/java"), jar)),
                FS);
        String script = p.script();
        int held = script.indexOf("mount -c --bind '/tmp/checkout/controller/target/controller.jar' ./program/0");
        int volume = script.indexOf("mount -c --bind './v/tmp' '/tmp'");
        int again = script.indexOf("mount -c --bind ./program/0 '/tmp/checkout/controller/target/controller.jar'");
        assertThat(held).as(script).isPositive().isLessThan(volume);
        assertThat(again).as(script).isGreaterThan(volume);
        assertThat(script).doesNotContain("'/usr/bin/java' ./program");
    }

    @Test
    void sourcesBelowThePodsDirectoryAreRelativeSoACoveringMountCannotHideThem() {
        MountPlan.Plan p = MountPlan.of(
                new MountPlan.Spec(
                        null,
                        List.of(
                                new BindMount("/tmp", Path.of("/tmp/state/v/tmp"), false),
                                new BindMount("/data", Path.of("/srv/host-data"), false)),
                        null,
                        null,
                        false,
                        null,
                        Path.of("/tmp/state/scratch"),
                        Path.of("/tmp/state")),
                FS);
        assertThat(p.script())
                .startsWith("set -e\ncd '/tmp/state'\n")
                .contains("mount -c --bind './v/tmp' '/tmp'")
                .contains("mount -c --bind '/srv/host-data' '/data'")
                .doesNotContain("hostname");
    }

    @Test
    void quotesSingleQuotesAndRejectsRelativeMountPaths() {
        assertThat(MountPlan.q("it's")).isEqualTo("'it'\\''s'");
        assertThatThrownBy(() -> plan(List.of(new BindMount("relative", Path.of("/state/v/tmp"), false)), false))
                .hasMessageContaining("mountPath relative is not absolute");
    }
}
