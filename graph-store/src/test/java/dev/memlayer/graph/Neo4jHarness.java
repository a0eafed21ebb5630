package dev.memlayer.graph;

import java.time.Duration;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One in-process Neo4j (neo4j-harness, Bolt on a free local port) for every Neo4j test of this JVM:
 * started on first use, stopped by a shutdown hook, because starting it takes several seconds.
 */
final class Neo4jHarness {

    private static final Logger LOG = LoggerFactory.getLogger(Neo4jHarness.class);
    private static Neo4j neo4j;
    private static Driver driver;

    private Neo4jHarness() {
    }

    /** @return the running server, started if needed */
    static synchronized Neo4j server() {
        if (neo4j == null) {
            long start = System.nanoTime();
            neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer().build();
            LOG.info("Neo4j harness up at {} in {} ms", neo4j.boltURI(), (System.nanoTime() - start) / 1_000_000);
            Neo4j running = neo4j;
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "neo4j-harness-stop"));
        }
        return neo4j;
    }

    /** @return one driver for every store of the tests (stores made with it do not close it) */
    static synchronized Driver driver() {
        if (driver == null) {
            driver = GraphDatabase.driver(server().boltURI(), AuthTokens.none(),
                    Config.builder().withLogging(Logging.slf4j()).build());
        }
        return driver;
    }

    /** @return a store on the shared driver, in the given collection */
    static Neo4jGraphStore store(String collection) {
        return new Neo4jGraphStore(driver(), config(collection));
    }

    /** @return a configuration for the harness, in the given collection, with short timeouts */
    static Neo4jConfig config(String collection) {
        return Neo4jConfig.of(server().boltURI().toString(), null, null).withCollection(collection)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }
}
