package dev.memlayer.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ApiArchitectureTest {

    private final JavaClasses api = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.memlayer.api");

    @Test
    void memory_api_depends_only_on_the_jdk() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.memlayer.api..")
                .because("memory-api is the JDK-only contract (DESIGN.md)")
                .check(api);
    }

    @Test
    void memory_api_has_no_internal_packages() {
        classes().should().resideOutsideOfPackage("..internal..").check(api);
    }
}
