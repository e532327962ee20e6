package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `helm install --dry-run` without a cluster: the install goes through and NOTES tell how to reach a model. */
class InstallDryRunTest {

    private static String install(Path chart, String release, String namespace, String... sets) {
        InstallCommand install = new Helm(chart)
                .install()
                .withName(release)
                .withNamespace(namespace)
                .clientOnly()
                .dryRun()
                .withDryRunOption(DryRun.CLIENT);
        for (String set : sets) {
            String[] keyValue = set.split("=", 2);
            install = install.set(keyValue[0], keyValue[1]);
        }
        return install.call().getOutput();
    }

    @Test
    void operatorNotesPointAtEmissaryAndTheModelChart() {
        String notes = install(Repository.OPERATOR, "seldon-core-operator", "seldon-system");
        assertThat(notes)
                .contains("STATUS: pending-install")
                .contains("kubectl -n seldon-system rollout status deployment/seldon-core-operator")
                .contains("--set model.image.name=seldonio/mock_classifier:1.0")
                .contains("/seldon/<namespace>/my-model/api/v1.0/predictions")
                .doesNotContain("usageMetrics");
    }

    @Test
    void operatorNotesSayWhatIsIgnored() {
        String notes = install(
                Repository.OPERATOR,
                "seldon-core-operator",
                "seldon-system",
                "usageMetrics.enabled=true",
                "ambassador.version=v2",
                "controllerId=blue");
        assertThat(notes)
                .contains("seldonj never phones home")
                .contains("ambassador.version=v2 is ignored")
                .contains("seldon.io/controller-id=blue");
    }

    @Test
    void singleModelNotesGiveThePredictionUrl() {
        String notes = install(
                Repository.SINGLE_MODEL,
                "test-ml-seldon-app",
                "test-ml-seldon-app",
                "model.image.name=alexioannides/test-ml-score-seldon-api:latest");
        assertThat(notes)
                .contains("/seldon/test-ml-seldon-app/test-ml-seldon-app/api/v1.0/predictions")
                .contains("svc/test-ml-seldon-app-default");
        String v2 = install(
                Repository.SINGLE_MODEL,
                "iris",
                "models",
                "model.implementation=SKLEARN_SERVER",
                "model.uri=gs://seldon-models/sklearn/iris",
                "protocol=v2");
        assertThat(v2).contains("/seldon/models/iris/v2/models/model/infer");
    }
}
