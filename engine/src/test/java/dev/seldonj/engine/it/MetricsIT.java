package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Seldon's executor metric names and labels on /prometheus. */
class MetricsIT {

    @Test
    void serverAndClientHistogramsWithSeldonsLabels() throws Exception {
        try (RestComponent model = new RestComponent("model").echoing("/predict");
                EngineFixture engine =
                        EngineFixture.start(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model))) {
            engine.predict("{\"data\":{\"ndarray\":[1]}}");
            engine.predict("[not a message]");

            String text = engine.get("/prometheus").body();

            assertThat(text)
                    .contains("seldon_api_executor_server_requests_seconds_bucket{code=\"200\","
                            + "deployment_name=\"test-sdep\",method=\"POST\",predictor_name=\"main\",predictor_version=\"main\","
                            + "service=\"predictions\",le=\"0.005\"}");
            assertThat(text).contains("seldon_api_executor_server_requests_seconds_count{code=\"400\"");
            assertThat(text)
                    .containsPattern(
                            "seldon_api_executor_client_requests_seconds_count\\{code=\"200\","
                                    + "deployment_name=\"test-sdep\",method=\"POST\",model_image=\"test/model:1.0\",model_name=\"model\","
                                    + "model_version=\"1.0\",predictor_name=\"main\",predictor_version=\"main\",service=\"/predict\"} 1");
        }
    }

    @Test
    void summaryTwinsWithSeldonsObjectivesAndTheSameLabels() throws Exception {
        try (RestComponent model = new RestComponent("model").echoing("/predict");
                EngineFixture engine =
                        EngineFixture.start(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model))) {
            for (int i = 0; i < 3; i++) {
                engine.predict("{\"data\":{\"ndarray\":[1]}}");
            }

            String text = engine.get("/prometheus").body();

            assertThat(text).contains("# TYPE seldon_api_executor_server_requests_seconds_summary summary");
            assertThat(text).contains("# TYPE seldon_api_executor_client_requests_seconds_summary summary");
            for (String q : new String[] {"0.5", "0.75", "0.9", "0.98", "0.99", "1.0"}) {
                assertThat(text)
                        .containsPattern("seldon_api_executor_server_requests_seconds_summary\\{code=\"200\","
                                + "deployment_name=\"test-sdep\",method=\"POST\",predictor_name=\"main\",predictor_version=\"main\","
                                + "service=\"predictions\",quantile=\"" + q + "\"} [0-9.eE-]+\n");
                assertThat(text)
                        .containsPattern("seldon_api_executor_client_requests_seconds_summary\\{code=\"200\","
                                + "deployment_name=\"test-sdep\",method=\"POST\",model_image=\"test/model:1.0\",model_name=\"model\","
                                + "model_version=\"1.0\",predictor_name=\"main\",predictor_version=\"main\",service=\"/predict\","
                                + "quantile=\"" + q + "\"} [0-9.eE-]+\n");
            }
            assertThat(text)
                    .containsPattern("seldon_api_executor_server_requests_seconds_summary_count\\{code=\"200\","
                            + "[^}]*service=\"predictions\"} 3\n");
            assertThat(text)
                    .containsPattern("seldon_api_executor_client_requests_seconds_summary_count\\{[^}]*"
                            + "service=\"/predict\"} 3\n");
        }
    }
}
