package dev.memlayer.llm.ollama;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md's dependency rules for a provider module. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.memlayer.llm.ollama");

    @Test
    void the_module_never_depends_on_the_engine_or_another_backend() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "dev.memlayer.core..", "dev.memlayer.store..", "dev.memlayer.llm.openai..", "dev.memlayer.graph..",
                        "dev.memlayer.embedder..", "dev.memlayer.conformance..")
                .check(MAIN);
    }

    @Test
    void only_the_jdk_jackson_slf4j_guice_memory_api_and_llm_http_are_used() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.annotation..",
                        "com.fasterxml.jackson..", "org.slf4j..", "com.google.inject..",
                        "dev.memlayer.api..", "dev.memlayer.llm.http..", "dev.memlayer.llm.ollama..")
                .check(MAIN);
    }
}
