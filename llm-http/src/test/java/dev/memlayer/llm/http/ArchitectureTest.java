package dev.memlayer.llm.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The shared transport knows no provider: it depends on the JDK, Jackson, SLF4J and memory-api only. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.memlayer.llm.http");

    @Test
    void only_the_jdk_jackson_slf4j_and_memory_api_are_used() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                        "org.slf4j..", "dev.memlayer.api", "dev.memlayer.llm.http..")
                .check(MAIN);
    }
}
