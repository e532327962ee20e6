package dev.seldonj.engine;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages depend one way (docs/engine.md, "Packages"): no cycle between them, and each layer
 * uses only the layers listed below it. A class that needs something from a higher layer means the type
 * belongs lower (or behind an interface), not that the rule should give way.
 */
class EnginePackageCyclesTest {

    /**
     * Lowest first. A layer may use any layer before it; {@code server} and {@code kafka} (the two front doors)
     * are peers and use neither each other nor the application classes in the root package.
     */
    static final List<String> LAYERS = List.of(
            "core",
            "net",
            "tracing",
            "config",
            "metrics",
            "message",
            "client",
            "payloadlog",
            "plan",
            "exec",
            "server",
            "kafka");

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.seldonj.engine");

    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    static LayeredArchitecture layers() {
        LayeredArchitecture rule = layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("application")
                .definedBy("dev.seldonj.engine");
        for (String layer : LAYERS) {
            rule = rule.layer(layer).definedBy("dev.seldonj.engine." + layer + "..");
        }
        rule = rule.whereLayer(LAYERS.get(0)).mayNotAccessAnyLayer();
        for (int i = 1; i < LAYERS.size(); i++) {
            String layer = LAYERS.get(i);
            List<String> below = LAYERS.subList(0, layer.equals("kafka") ? i - 1 : i);
            rule = rule.whereLayer(layer).mayOnlyAccessLayers(below.toArray(String[]::new));
        }
        return rule;
    }

    @Test
    void importsTheWholeEngine() {
        assertThat(ENGINE.contain(Engine.class)).isTrue();
        assertThat(LAYERS)
                .allSatisfy(layer -> assertThat(ENGINE.stream()
                                .anyMatch(c -> c.getPackageName().startsWith("dev.seldonj.engine." + layer)))
                        .as(layer)
                        .isTrue());
    }

    @Test
    void packagesAreFreeOfCycles() {
        noCycles("dev.seldonj.engine").check(ENGINE);
    }

    @Test
    void layersDependOnlyDownwards() {
        layers().check(ENGINE);
    }

    @Test
    void theCycleRuleFindsACycle() {
        // Two test-only packages that use each other (archfixture.a <-> archfixture.b).
        JavaClasses cyclic = new ClassFileImporter().importPackages("dev.seldonj.engine.archfixture");
        assertThat(cyclic.size()).isEqualTo(2);
        assertThatThrownBy(() -> noCycles("dev.seldonj.engine.archfixture").check(cyclic))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected");
    }

    @Test
    void theLayerRuleFindsAnUpwardDependency() {
        // The two fixture classes, read as if they were net (a) and core (b): core then uses net.
        JavaClasses cyclic = new ClassFileImporter().importPackages("dev.seldonj.engine.archfixture");
        LayeredArchitecture rule = layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("core")
                .definedBy("dev.seldonj.engine.archfixture.b..")
                .layer("net")
                .definedBy("dev.seldonj.engine.archfixture.a..")
                .whereLayer("core")
                .mayNotAccessAnyLayer();
        assertThatThrownBy(() -> rule.check(cyclic))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("archfixture.b.B");
    }
}
