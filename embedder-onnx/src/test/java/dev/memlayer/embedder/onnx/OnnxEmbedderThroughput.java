package dev.memlayer.embedder.onnx;

import dev.memlayer.api.spi.EmbeddingPurpose;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A quick throughput print (not a test, not JMH): sentences per second for short, LoCoMo-like
 * sentences, embedded one by one ({@code embed}) and as one list ({@code embedAll}), on 1 and 2
 * intra-op threads, with thread spinning off (the default) and on. Run from the module directory after {@code mvn test-compile}:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     dev.memlayer.embedder.onnx.OnnxEmbedderThroughput [MODEL] [SENTENCES]
 * </pre>
 */
public final class OnnxEmbedderThroughput {

    static final List<String> LOCOMO_LIKE = List.of(
            "Hey Mel! Good to see you! How have you been?",
            "Hey Caroline! Good to see you! I'm swamped with the kids & work. What's up with you?",
            "I went to a LGBTQ support group yesterday and it was so powerful.",
            "Caroline is a transgender woman who moved from Sweden four years ago.",
            "Melanie ran a charity race for mental health last Saturday.",
            "The user is vegetarian and allergic to peanuts.",
            "Melanie is planning a camping trip with her kids next month.",
            "Caroline is researching adoption agencies because she wants to build a family.",
            "I painted a sunrise over the lake last week, it's my favourite so far.",
            "Did you end up going to the pottery class on Thursday?",
            "Caroline's favourite book is Becoming Nicole by Amy Ellis Nutt.",
            "Melanie has been married for five years and has two children.",
            "We went hiking in the mountains and saw a family of deer.",
            "I'm thinking of studying counseling so I can help other trans people.",
            "The user prefers window seats on long flights.",
            "Jon lost his job as a banker and wants to open a dance studio.",
            "Gina opened an online clothing store after being laid off.",
            "That sounds amazing, I'm so proud of you for taking that step!",
            "My daughter's birthday party is next Sunday at the park.",
            "The user's sister lives in Lisbon and works as an architect.",
            "I started learning the violin in March and practice every evening.",
            "John volunteers at the animal shelter on weekends.",
            "Thanks, Mel! It means a lot to have your support.",
            "Melanie's favourite band played a concert in town on 20 July 2023.");

    private OnnxEmbedderThroughput() {}

    public static void main(String[] args) {
        OnnxModel model = args.length > 0 ? OnnxModel.parse(args[0]) : OnnxModel.BGE_SMALL_EN_V15_Q;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 960;
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String sentence = LOCOMO_LIKE.get(i % LOCOMO_LIKE.size());
            texts.add(i < LOCOMO_LIKE.size() ? sentence : sentence + " (" + i + ")");
        }
        for (boolean spinning : new boolean[] {false, true}) {
            for (int threads : new int[] {1, 2}) {
                OnnxEmbedderConfig config = OnnxEmbedderConfig.builder()
                        .model(model)
                        .intraOpThreads(threads)
                        .allowSpinning(spinning)
                        .build();
                try (OnnxEmbedder embedder = OnnxEmbedder.create(config)) {
                    measure(embedder, texts, false); // warm-up
                    measure(embedder, texts, true);
                    double[] one = best(embedder, texts, false);
                    double[] all = best(embedder, texts, true);
                    System.out.printf(Locale.ROOT,
                            "%s threads=%d spinning=%s: embed one by one %.0f sentences/s"
                                    + " (%.0f per CPU-second), embedAll (batches of %d) %.0f"
                                    + " sentences/s (%.0f per CPU-second)%n",
                            model, threads, spinning, one[0], one[1], config.maxBatchSize(),
                            all[0], all[1]);
                }
            }
        }
    }

    /** @return {best sentences per wall-clock second, sentences per process CPU-second then} */
    private static double[] best(OnnxEmbedder embedder, List<String> texts, boolean batched) {
        double[] best = {0, 0};
        for (int round = 0; round < 3; round++) {
            double[] rates = measure(embedder, texts, batched);
            if (rates[0] > best[0]) {
                best = rates;
            }
        }
        return best;
    }

    private static double[] measure(OnnxEmbedder embedder, List<String> texts, boolean batched) {
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        if (batched) {
            embedder.embedAll(texts, EmbeddingPurpose.ADD);
        } else {
            for (String text : texts) {
                embedder.embed(text, EmbeddingPurpose.ADD);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        return new double[] {texts.size() / seconds, texts.size() / cpuSeconds};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
