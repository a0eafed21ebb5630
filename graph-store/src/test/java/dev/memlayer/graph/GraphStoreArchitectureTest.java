package dev.memlayer.graph;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class GraphStoreArchitectureTest {

    private final JavaClasses graph = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.memlayer.graph");

    @Test
    void graph_store_depends_on_memory_api_the_driver_guice_and_slf4j_only() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.memlayer.api..",
                        "dev.memlayer.graph..", "org.neo4j.driver..", "com.google.inject..", "org.slf4j..")
                .because("a backend module depends on memory-api only (DESIGN.md)")
                .check(graph);
    }
}
