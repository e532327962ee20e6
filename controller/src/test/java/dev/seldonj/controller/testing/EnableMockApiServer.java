package dev.seldonj.controller.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A CRUD mock API server (HTTPS, expectations and the in-memory store) per test class that accepts
 * server-side apply ({@link ApplyingCrudDispatcher}); it fills the class's static fields of type
 * KubernetesClient, KubernetesMockServer and ApplyingCrudDispatcher. fabric8's
 * {@code @EnableKubernetesMockClient(crud = true)} cannot be used: its dispatcher is fixed and refuses
 * apply patches.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MockApiServerExtension.class)
public @interface EnableMockApiServer {}
