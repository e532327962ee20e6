package dev.seldonj.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.SeldonDeployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalGraphsTest {

    @Test
    void chainsRunningComponentsIntoAValidGraph() {
        SeldonDeployment sdep = LocalGraphs.chain(
                "mixed",
                "grpc",
                List.of(
                        new LocalGraphs.Node(
                                "scale", "OUTPUT_TRANSFORMER", "seldonj/scale-output-transformer:0.1.0", 9001, 9501),
                        new LocalGraphs.Node("mean", "TRANSFORMER", "seldonj/mean-transformer:0.1.0", 9002, 9502),
                        new LocalGraphs.Node("python-model", "MODEL", "my-model:0.1", 9003, 9503)));
        PredictiveUnit root = sdep.getSpec().getPredictors().get(0).getGraph();
        assertThat(root.getName()).isEqualTo("scale");
        assertThat(root.getEndpoint().getServicePort()).isEqualTo(9501);
        assertThat(root.getEndpoint().getServiceHost()).isEqualTo("127.0.0.1");
        PredictiveUnit model = root.getChildren().get(0).getChildren().get(0);
        assertThat(model.getName()).isEqualTo("python-model");
        assertThat(model.getEndpoint().getHttpPort()).isEqualTo(9003);
        assertThat(model.getChildren()).isEmpty();
        assertThat(sdep.getSpec()
                        .getPredictors()
                        .get(0)
                        .getComponentSpecs()
                        .get(0)
                        .getSpec()
                        .getContainers())
                .extracting(c -> c.getName())
                .containsExactly("scale", "mean", "python-model");
    }

    @Test
    void buildsTreesWithContainersInDepthFirstOrder() {
        SeldonDeployment sdep = LocalGraphs.graph(
                "routed",
                "rest",
                LocalGraphs.Unit.of(
                        new LocalGraphs.Node("router", "ROUTER", "fixed-router:0.1", 9001, 9501),
                        LocalGraphs.Unit.of(new LocalGraphs.Node("a", "MODEL", "a:1", 9002, 9502)),
                        LocalGraphs.Unit.of(new LocalGraphs.Node("b", "MODEL", "b:1", 9003, 9503))));
        PredictiveUnit root = sdep.getSpec().getPredictors().get(0).getGraph();
        assertThat(root.getChildren()).extracting(PredictiveUnit::getName).containsExactly("a", "b");
        assertThat(root.getChildren().get(1).getEndpoint().getServicePort()).isEqualTo(9003);
        assertThat(sdep.getSpec()
                        .getPredictors()
                        .get(0)
                        .getComponentSpecs()
                        .get(0)
                        .getSpec()
                        .getContainers())
                .extracting(c -> c.getName())
                .containsExactly("router", "a", "b");
    }
}
