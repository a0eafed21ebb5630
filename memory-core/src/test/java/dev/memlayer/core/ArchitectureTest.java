package dev.memlayer.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.memlayer.core");

    @Test
    void core_never_depends_on_a_backend_or_the_conformance_suites() {
        noClasses().that().resideInAPackage("dev.memlayer.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.memlayer.store..", "dev.memlayer.llm..", "dev.memlayer.embedder..", "dev.memlayer.graph..",
                        "dev.memlayer.conformance..", "dev.memlayer.benchmarks..", "dev.memlayer.cli..")
                .check(CORE);
    }

    @Test
    void core_sub_packages_are_free_of_cycles() {
        slices().matching("dev.memlayer.core.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void sub_packages_do_not_depend_on_the_root_package() {
        noClasses().that().resideInAnyPackage("dev.memlayer.core.internal..", "dev.memlayer.core.json..")
                .should().dependOnClassesThat().resideInAPackage("dev.memlayer.core")
                .check(CORE);
    }

    @Test
    void json_helpers_do_not_depend_on_the_engine() {
        noClasses().that().resideInAPackage("dev.memlayer.core.json..")
                .should().dependOnClassesThat().resideInAPackage("dev.memlayer.core.internal..")
                .check(CORE);
    }

    @Test
    void public_api_does_not_expose_internal_types() {
        methods().that().arePublic()
                .and().areDeclaredInClassesThat().resideInAnyPackage("dev.memlayer.core", "dev.memlayer.core.json")
                .and().areDeclaredInClassesThat().arePublic()
                .should(new ArchCondition<JavaMethod>("not mention dev.memlayer.core.internal types in their signature") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        boolean exposes = isInternal(method.getRawReturnType())
                                || method.getRawParameterTypes().stream().anyMatch(ArchitectureTest::isInternal);
                        events.add(new SimpleConditionEvent(method, !exposes,
                                method.getFullName() + " exposes an internal type"));
                    }
                })
                .check(CORE);
    }

    private static boolean isInternal(JavaClass type) {
        return type.getPackageName().startsWith("dev.memlayer.core.internal");
    }
}
