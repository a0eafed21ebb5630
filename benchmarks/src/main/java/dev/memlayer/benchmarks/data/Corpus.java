package dev.memlayer.benchmarks.data;

import java.util.List;
import java.util.Random;

/**
 * Realistic, deterministic memory texts: short first-person facts and chat turns of the kind an
 * assistant remembers ("I'm allergic to peanuts and carry an EpiPen.", "Caroline moved to Lisbon
 * in March to work as an architect."), 6 to 30 words, composed from templates per topic. The same
 * random source gives the same sentence on every JVM.
 *
 * <p>There are about 10^8 combinations per topic, so sentences drawn for one scope rarely repeat;
 * callers that need uniqueness check for it.
 */
public final class Corpus {

    /** The metadata topics, in the order of their index (a record's topic is {@code TOPICS.get(i)}). */
    public static final List<String> TOPICS = List.of("food", "travel", "work", "health", "family", "hobby",
            "finance", "tech");

    private static final List<String> NAMES = List.of("Caroline", "Melanie", "Jon", "Gina", "Alex", "Priya",
            "Tomasz", "Aiko", "Mateo", "Fatima", "Liam", "Noor", "Sven", "Elena", "Kwame", "Mei", "Oscar", "Ines",
            "Ravi", "Hannah", "Diego", "Yara", "Felix", "Amara");
    private static final List<String> PLACES = List.of("Lisbon", "Kyoto", "Toronto", "the Alps", "Cape Town",
            "Oaxaca", "Reykjavik", "the Lake District", "Seoul", "Marrakesh", "Vancouver", "Tuscany", "Hanoi",
            "the Scottish Highlands", "Buenos Aires", "Copenhagen");
    private static final List<String> TIMES = List.of("last weekend", "in March", "every Sunday", "since 2019",
            "next month", "on Thursday evenings", "two years ago", "this summer", "after work", "on 20 July 2023",
            "most mornings", "over the holidays");
    private static final List<List<String>> SUBJECTS = List.of(
            List.of("vegan ramen", "Thai green curry", "sourdough bread", "dark chocolate", "oat milk lattes",
                    "spicy food", "sushi", "homemade pasta", "peanuts", "shellfish", "black coffee", "kimchi"),
            List.of("window seats on long flights", "hiking trips", "a camping trip", "the night train",
                    "a road trip along the coast", "a week of surfing", "a cheap hostel", "a food tour",
                    "boutique hotels", "a ski holiday", "a visa appointment", "a layover"),
            List.of("a new job as a data engineer", "remote work", "a promotion", "the quarterly report",
                    "a startup idea", "a dance studio", "an online clothing store", "the team offsite",
                    "a certification exam", "a mentoring program", "a part-time contract", "a job interview"),
            List.of("a morning run", "yoga classes", "a knee injury", "a vegetarian diet", "eight hours of sleep",
                    "a pollen allergy", "physiotherapy", "a charity race", "meditation", "a gym membership",
                    "an EpiPen", "the dentist"),
            List.of("two kids", "a sister who is an architect", "a daughter's birthday party", "a family reunion",
                    "an adoption agency", "a golden retriever named Rex", "grandparents", "a wedding anniversary",
                    "a newborn nephew", "weekly video calls with parents", "a twin brother", "a foster cat"),
            List.of("the violin", "pottery classes", "painting sunrises", "rock climbing", "chess openings",
                    "a book club", "bird watching", "woodworking", "salsa dancing", "knitting", "photography",
                    "a vegetable garden"),
            List.of("a savings plan", "index funds", "a mortgage", "a monthly budget", "a tax return",
                    "a credit card", "a pension", "a car loan", "crypto", "an emergency fund", "rent",
                    "a student loan"),
            List.of("a new laptop", "a home server", "learning Rust", "a mechanical keyboard", "a smart thermostat",
                    "a photo backup", "a password manager", "an Android phone", "a 3D printer", "a podcast app",
                    "a Raspberry Pi", "noise-cancelling headphones"));
    private static final List<String> TEMPLATES = List.of(
            "I really like %s.",
            "I'm not a fan of %s anymore.",
            "%n has been into %s %t.",
            "%n told me about %s %t.",
            "Remember that I prefer %s.",
            "%n is planning %s in %p %t.",
            "We talked about %s while we were in %p.",
            "I started %s %t and it's going well.",
            "My friend %n recommended %s.",
            "Please remind me about %s %t.",
            "%n and I spent the afternoon on %s %t, it was so much fun.",
            "I have to avoid %s because of my doctor's advice.",
            "I'm saving up for %s and hope to get it %t.",
            "%n from %p asked whether I still care about %s.",
            "Last time we spoke, %n said %s was the highlight of the year.");

    private Corpus() {
    }

    /**
     * @param random the source of randomness
     * @param topic  an index into {@link #TOPICS}
     * @return a sentence about that topic
     */
    public static String sentence(Random random, int topic) {
        List<String> subjects = SUBJECTS.get(topic);
        String template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
        StringBuilder out = new StringBuilder(template.length() + 48);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length()) {
                char k = template.charAt(++i);
                out.append(switch (k) {
                    case 's' -> subjects.get(random.nextInt(subjects.size()));
                    case 'n' -> NAMES.get(random.nextInt(NAMES.size()));
                    case 'p' -> PLACES.get(random.nextInt(PLACES.size()));
                    case 't' -> TIMES.get(random.nextInt(TIMES.size()));
                    default -> throw new IllegalStateException("unknown placeholder %" + k);
                });
            } else {
                out.append(c);
            }
        }
        String s = out.toString();
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * @param random the source of randomness
     * @return a sentence about a random topic
     */
    public static String sentence(Random random) {
        return sentence(random, random.nextInt(TOPICS.size()));
    }

    /**
     * @param count how many
     * @param seed  the seed
     * @return {@code count} sentences (may repeat), the same for the same arguments
     */
    public static List<String> sentences(int count, long seed) {
        Random random = new Random(seed);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = sentence(random);
        }
        return List.of(out);
    }
}
