package dev.seldonj.e2e.cluster;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionFactory;

/** Installing and removing operator releases of charts/seldon-core-operator with the real Helm. */
final class Operators {

    static final String CRD = "seldondeployments.machinelearning.seldon.io";

    private Operators() {}

    /** {@code helm install <release> charts/seldon-core-operator -n <namespace> --wait} with {@code --set}s. */
    static void install(TestCluster cluster, String release, String namespace, String... sets) {
        cluster.helm(helmArgs("install", release, namespace, sets)).orThrow();
    }

    static void upgrade(TestCluster cluster, String release, String namespace, String... sets) {
        cluster.helm(helmArgs("upgrade", release, namespace, sets)).orThrow();
    }

    static void uninstall(TestCluster cluster, String release, String namespace) {
        cluster.helm("uninstall", release, "-n", namespace, "--wait", "--ignore-not-found")
                .orThrow();
    }

    /**
     * No SeldonDeployment CRD and no webhook left by an earlier test: the chart's CRD is kept on
     * uninstall (crd.keep), and Helm refuses to adopt a CRD another release (or kubectl) created.
     */
    static void cleanSlate(TestCluster cluster) {
        cluster.kubectl("delete", "crd", CRD, "--ignore-not-found", "--wait=true")
                .orThrow();
        String webhooks = cluster.kubectl("get", "validatingwebhookconfigurations", "-o", "name")
                .orThrow();
        webhooks.lines()
                .filter(l -> l.contains("seldon"))
                .forEach(w -> cluster.kubectl("delete", w, "--wait=true").orThrow());
    }

    /** The SeldonDeployment CRD applied on its own (no release owns it), once the API server serves it. */
    static void serveCrd(TestCluster cluster) {
        cluster.kubectl(
                        "apply",
                        "--server-side",
                        "--force-conflicts",
                        "-f",
                        TestCluster.REPOSITORY
                                .resolve("charts/seldon-core-operator/files/crd-seldondeployments.yaml")
                                .toString())
                .orThrow();
        eventually("the CRD is Established", Duration.ofMinutes(1))
                .until(() -> cluster.kubectl(
                                "get",
                                "crd",
                                CRD,
                                "-o",
                                "jsonpath={.status.conditions[?(@.type==\"Established\")].status}")
                        .orThrow()
                        .equals("True"));
    }

    static ConditionFactory eventually(String what) {
        return eventually(what, Duration.ofSeconds(60));
    }

    static ConditionFactory eventually(String what, Duration atMost) {
        return await(what).atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
    }

    private static String[] helmArgs(String verb, String release, String namespace, String... sets) {
        List<String> args = new ArrayList<>(List.of(
                verb,
                release,
                TestCluster.REPOSITORY.resolve("charts/seldon-core-operator").toString(),
                "-n",
                namespace,
                "--wait",
                "--timeout",
                "5m"));
        if (verb.equals("install")) {
            args.add("--create-namespace");
        }
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        return args.toArray(String[]::new);
    }
}
