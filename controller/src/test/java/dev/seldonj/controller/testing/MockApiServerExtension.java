package dev.seldonj.controller.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts the server of {@link EnableMockApiServer} before a class's tests and stops it after them. */
final class MockApiServerExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(MockApiServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        MixedApplyingDispatcher dispatcher = new MixedApplyingDispatcher(responses);
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()), new MockWebServer(), responses, dispatcher, true);
        server.init();
        NamespacedKubernetesClient client = server.createClient();
        context.getStore(STORE).put("server", server);
        context.getStore(STORE).put("client", client);
        for (Class<?> type = context.getRequiredTestClass();
                type != null && type != Object.class;
                type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object value = null;
                if (field.getType().isAssignableFrom(NamespacedKubernetesClient.class)
                        && KubernetesClient.class.isAssignableFrom(field.getType())) {
                    value = client;
                } else if (field.getType() == KubernetesMockServer.class) {
                    value = server;
                } else if (field.getType() == ApplyingCrudDispatcher.class) {
                    value = dispatcher.crud;
                }
                if (value != null) {
                    field.setAccessible(true);
                    field.set(null, value);
                }
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        NamespacedKubernetesClient client = context.getStore(STORE).remove("client", NamespacedKubernetesClient.class);
        KubernetesMockServer server = context.getStore(STORE).remove("server", KubernetesMockServer.class);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }
}
