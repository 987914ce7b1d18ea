package org.layerwise.tests.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The arrows point down: app → plugins → plugins/sdk → engine; no plugin imports another. */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.layerwise");
    }

    @Test
    void engineKnowsNoJavaFxNorAnythingAbove() {
        noClasses().that().resideInAPackage("org.layerwise.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree..",
                        "org.layerwise.sdk..", "org.layerwise.app..",
                        "org.layerwise.playground..", "org.layerwise.builder..", "org.layerwise.probeedit..", "org.layerwise.flatness..",
                        "org.layerwise.rationale..", "org.layerwise.promptopt..", "org.layerwise.modelselect..")
                .check(classes);
    }

    @Test
    void sdkDoesNotKnowTheAppOrAnyPlugin() {
        noClasses().that().resideInAPackage("org.layerwise.sdk..")
                .should().dependOnClassesThat().resideInAnyPackage("org.layerwise.app..",
                        "org.layerwise.playground..", "org.layerwise.builder..", "org.layerwise.probeedit..", "org.layerwise.flatness..",
                        "org.layerwise.rationale..", "org.layerwise.promptopt..", "org.layerwise.modelselect..")
                .check(classes);
    }

    @Test
    void methodPackagesAreHeadless() {
        noClasses().that().resideInAPackage("org.layerwise..method..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void appNeverImportsAPlugin() {
        noClasses().that().resideInAPackage("org.layerwise.app..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.layerwise.playground..", "org.layerwise.builder..", "org.layerwise.probeedit..", "org.layerwise.flatness..",
                        "org.layerwise.rationale..", "org.layerwise.promptopt..", "org.layerwise.modelselect..")
                .check(classes);
    }

    @Test
    void pluginsDoNotImportEachOther() {
        // every workspace plugin lives in its own top-level package org.layerwise.<plugin>
        slices().matching("org.layerwise.(*)..")
                .should().notDependOnEachOther()
                .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                "org.layerwise.engine..", "org.layerwise.sdk.."))
                .ignoreDependency(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                "org.layerwise.sdk..", "org.layerwise.app.."),
                        com.tngtech.archunit.base.DescribedPredicate.alwaysTrue())
                .allowEmptyShould(true)
                .check(classes);
    }
}
