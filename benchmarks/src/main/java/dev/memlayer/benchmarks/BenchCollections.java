package dev.memlayer.benchmarks;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.benchmarks.data.Distribution;
import dev.memlayer.benchmarks.data.SearchCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Manages the benchmark collections of persistent backends (the benchmarks themselves reuse a
 * collection that holds their dataset and load it otherwise):
 *
 * <pre>
 * java -cp benchmarks.jar dev.memlayer.benchmarks.BenchCollections load|reload|reset \
 *     [--backends pgvector,redis] [--distributions clustered,uniform]
 * </pre>
 *
 * {@code load} loads what is missing; {@code reload} empties and loads every dataset collection
 * (e.g. after a backend's schema or index settings changed); {@code reset} empties every collection
 * the benchmarks use, to give the memory back.
 */
public final class BenchCollections {

    private BenchCollections() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || !Set.of("load", "reload", "reset").contains(args[0])) {
            throw new IllegalArgumentException("usage: BenchCollections load|reload|reset [--backends a,b] "
                    + "[--distributions clustered,uniform]; got " + Arrays.toString(args));
        }
        String action = args[0];
        List<String> backends = List.of("pgvector", "redis");
        List<Distribution> distributions = List.of(Distribution.CLUSTERED);
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--backends" -> backends = List.of(args[i + 1].split(","));
                case "--distributions" -> distributions = Arrays.stream(args[i + 1].split(","))
                        .map(Distribution::parse).toList();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        for (String name : backends) {
            BenchmarkBackend backend = BenchmarkBackend.named(name);
            for (Distribution d : distributions) {
                Set<Dataset> datasets = new LinkedHashSet<>();
                for (SearchCase c : SearchCase.values()) {
                    datasets.add(c.dataset(d, 1));
                }
                for (Dataset dataset : datasets) {
                    List<String> suffixes = new ArrayList<>(List.of(""));
                    if (dataset.size() == SearchCase.SCOPED_10K.dataset(d, 1).size()) {
                        suffixes.add("w");
                    }
                    for (String suffix : suffixes) {
                        String collection = dataset.collectionName(suffix);
                        if (action.equals("load")) {
                            StoreFixture.openLoaded(backend, dataset, suffix).close();
                        } else {
                            try (VectorStore store = backend.openStore(collection, Dataset.DIMENSIONS)) {
                                store.reset();
                            }
                            System.out.println(name + ": emptied " + collection);
                            if (action.equals("reload")) {
                                StoreFixture.openLoaded(backend, dataset, suffix).close();
                                System.out.println(name + ": loaded " + collection);
                            }
                        }
                    }
                }
                if (action.equals("reset")) {
                    Dataset full = SearchCase.SCOPED_10K.dataset(d, 1);
                    for (String other : List.of(full.collectionName("bulk"), "bench_v1_add_1000", "bench_v1_add_10000",
                            "bench_v1_addhttp_1000", "bench_v1_addhttp_10000", "bench_v1_graphadd_1000",
                            "bench_v1_graphadd_10000", "bench_v1_graphsearch")) {
                        try (VectorStore store = backend.openStore(other, Dataset.DIMENSIONS)) {
                            store.reset();
                        }
                        System.out.println(name + ": emptied " + other);
                    }
                }
            }
        }
    }
}
