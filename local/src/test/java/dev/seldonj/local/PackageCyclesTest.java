package dev.seldonj.local;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * No two packages of this module depend on each other, directly or round a longer loop, so each
 * package can be read (and moved) from its dependencies up. Every package is its own slice, the
 * module's root package and sub-packages included. Another module gets the same check by copying
 * this class with its own package name.
 */
@AnalyzeClasses(packages = "dev.seldonj.local", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("dev.seldonj.(**)").namingSlices("$1").should().beFreeOfCycles();
}
