package dev.memlayer.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Message;
import dev.memlayer.api.Role;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ChatResponse;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.ResponseFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted {@link LanguageModel} for the demo when no real LLM is configured: simple rules, no
 * network, deterministic. It answers the three calls of memory-core's default extractor, told
 * apart by the JSON schema name (or, without a schema, by the input's shape):
 *
 * <ul>
 *   <li>{@value #FACTS_SCHEMA}: the last user message is a transcript, one {@code <role>: <content>}
 *       line per message. Facts come from the user's lines (or, when the instructions are about the
 *       assistant/agent, from the assistant's lines): each first-person sentence that is not a
 *       question or a greeting becomes a third-person fact ("I'm allergic to nuts" → "Is allergic
 *       to nuts", "My name is Alex" → "Name is Alex", "I teach Spanish" → "Teaches Spanish");
 *       clauses joined by "and I ..." become separate facts. Categories come from keywords
 *       ({@code food_preferences}, {@code health}, {@code travel}, ...). Answer:
 *       {@code {"facts": [{"text", "categories"}]}}.</li>
 *   <li>{@value #ACTIONS_SCHEMA}: the input is {@code {"existing_memories": [{"id", "text",
 *       "immutable"}], "new_facts": [...]}}. Per new fact: the same text as a memory (ignoring case
 *       and end punctuation) → NONE; "No longer X" / "Is no longer X" → DELETE of the mutable
 *       memory about X; a mutable memory sharing at least half of its content words with the fact
 *       (Jaccard ≥ 0.5) → UPDATE of that memory to the fact's text (the explicit update step,
 *       e.g. "Is allergic to nuts" → "Is allergic to nuts and shellfish"); "Wants to forget: X"
 *       (extracted from "Please delete all of my X") → DELETE of every mutable memory in category X
 *       or mentioning X; otherwise ADD. Answer:
 *       {@code {"memory": [{"id", "text", "event", "old_memory"?}]}}, listing only the memories a new
 *       fact is about (a NONE only for a memory a fact repeats) and the ADDs: memlayer records a
 *       NONE of a session or agent add as the association of that memory with the session or agent,
 *       so unrelated memories are left out rather than marked NONE.</li>
 *   <li>{@value #PROCEDURE_SCHEMA}: the transcript summarised as {@code {"summary": "Task: ...
 *       Steps: 1. ... 2. ..."}}.</li>
 * </ul>
 *
 * Thread-safe.
 */
public final class DemoLanguageModel implements LanguageModel {

    /** Schema name of the fact-extraction call. */
    public static final String FACTS_SCHEMA = "memlayer_facts";
    /** Schema name of the reconciliation call. */
    public static final String ACTIONS_SCHEMA = "memlayer_memory_actions";
    /** Schema name of the procedural-summary call. */
    public static final String PROCEDURE_SCHEMA = "memlayer_procedure";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern TRANSCRIPT_LINE = Pattern.compile("^(user|assistant|system)\\s*:\\s?(.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|;\\s+");
    private static final Pattern CLAUSE_JOIN = Pattern.compile(",?\\s+(?:and|but)\\s+(?=(?:I|I'm|I've|I'll|I'd|my)\\b)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LEADING_FILLER = Pattern.compile(
            "^(?:hi|hello|hey|ok|okay|oh|so|well|also|actually|btw|by the way|of course|sure|great|yes|no|anyway)"
                    + "(?:\\s+\\p{Lu}\\p{L}+)?[,!.]?\\s+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern GREETING_OR_THANKS = Pattern.compile(
            "^(?:hi|hello|hey|thanks|thank you|good (?:morning|evening|night)|bye|goodbye|nice to meet you)\\b.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INTRODUCTION = Pattern.compile("^(?:I'm|I am)\\s+(\\p{Lu}\\p{L}+)$");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern FORGET_REQUEST = Pattern.compile(
            "^(?:please\\s+)?(?:delete|forget|remove|erase)\\s+(?:all\\s+(?:of\\s+)?)?(?:my\\s+|the\\s+)?(.+)$",
            Pattern.CASE_INSENSITIVE);
    private static final String FORGET_PREFIX = "Wants to forget: ";

    /** First-person openings and their third-person rewrites, tried in order (lower case). */
    private static final Map<String, String> OPENINGS = openings();
    private static final Set<String> ADVERBS = Set.of("usually", "always", "never", "often", "still", "really",
            "sometimes", "mostly", "rarely");
    private static final Set<String> DROPPED_ADVERBS = Set.of("also", "just", "actually", "now");
    private static final Set<String> STOP_WORDS = Set.of("is", "a", "an", "the", "to", "of", "and", "in", "on", "for",
            "with", "at", "their", "they", "them", "has", "have", "be", "will", "would", "by", "it", "as", "or", "are",
            "was", "user", "user's");
    private static final Map<String, List<String>> CATEGORY_KEYWORDS = categoryKeywords();

    private final AtomicLong calls = new AtomicLong();

    /** Creates the model; it holds no resources. */
    public DemoLanguageModel() {
    }

    /** @return true: the engine sends JSON schemas, whose names tell the calls apart */
    @Override
    public boolean supportsJsonSchema() {
        return true;
    }

    /** @return how many calls this model has answered */
    public long calls() {
        return calls.get();
    }

    /**
     * @throws LlmException when the request has no user message, or a reconciliation input is not
     *                      the expected JSON
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        calls.incrementAndGet();
        String input = lastUserMessage(request);
        String instructions = instructions(request);
        String answer = switch (kind(request, input, instructions)) {
            case FACTS -> extractFacts(input, instructions);
            case ACTIONS -> reconcile(input);
            case PROCEDURE -> summarise(input);
        };
        return ChatResponse.ofText(answer);
    }

    private enum Kind { FACTS, ACTIONS, PROCEDURE }

    private static Kind kind(ChatRequest request, String input, String instructions) {
        if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
            switch (schema.name()) {
                case FACTS_SCHEMA -> {
                    return Kind.FACTS;
                }
                case ACTIONS_SCHEMA -> {
                    return Kind.ACTIONS;
                }
                case PROCEDURE_SCHEMA -> {
                    return Kind.PROCEDURE;
                }
                default -> {
                    // an unknown schema: fall through to the shape of the input
                }
            }
        }
        if (input.stripLeading().startsWith("{") && input.contains("\"existing_memories\"")) {
            return Kind.ACTIONS;
        }
        return instructions.toLowerCase(Locale.ROOT).contains("procedur") ? Kind.PROCEDURE : Kind.FACTS;
    }

    private static String lastUserMessage(ChatRequest request) {
        List<Message> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return messages.get(i).content();
            }
        }
        throw new LlmException("the scripted demo model needs a user message carrying the input");
    }

    private static String instructions(ChatRequest request) {
        StringBuilder s = new StringBuilder();
        for (Message m : request.messages()) {
            if (m.role() == Role.SYSTEM) {
                s.append(m.content()).append('\n');
            }
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- fact extraction

    private static String extractFacts(String transcript, String instructions) {
        Map<Role, List<String>> lines = transcriptLines(transcript);
        boolean aboutAgent = isAboutAgent(instructions) || lines.get(Role.USER).isEmpty();
        Role source = aboutAgent ? Role.ASSISTANT : Role.USER;
        Map<String, List<String>> facts = new LinkedHashMap<>();
        for (String line : lines.get(source)) {
            for (String fact : factsFrom(line, aboutAgent)) {
                facts.putIfAbsent(normalise(fact), List.of(fact));
            }
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("facts");
        for (List<String> fact : facts.values()) {
            ObjectNode f = array.addObject();
            f.put("text", fact.get(0));
            ArrayNode categories = f.putArray("categories");
            categories(fact.get(0)).forEach(categories::add);
        }
        return write(root);
    }

    private static boolean isAboutAgent(String instructions) {
        String s = instructions.toLowerCase(Locale.ROOT);
        return s.contains("about the assistant") || s.contains("about the agent") || s.contains("assistant's own")
                || s.contains("agent's own") || s.contains("from the assistant's messages");
    }

    private static Map<Role, List<String>> transcriptLines(String transcript) {
        Map<Role, List<String>> lines = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            lines.put(r, new ArrayList<>());
        }
        Role current = Role.USER;
        boolean sawRole = false;
        for (String raw : transcript.split("\\R")) {
            Matcher m = TRANSCRIPT_LINE.matcher(raw.strip());
            if (m.matches()) {
                current = Role.fromWireName(m.group(1));
                sawRole = true;
                lines.get(current).add(m.group(2));
            } else if (!raw.isBlank()) {
                List<String> list = lines.get(sawRole ? current : Role.USER);
                list.add(raw.strip());
            }
        }
        return lines;
    }

    /**
     * @param content one message's text
     * @param aboutAgent true when the speaker is the assistant ("you" then means the user)
     * @return the third-person facts stated in it, in order
     */
    static List<String> factsFrom(String content, boolean aboutAgent) {
        List<String> facts = new ArrayList<>();
        for (String sentence : SENTENCE_END.split(content.strip())) {
            String s = sentence.strip();
            if (s.isEmpty() || s.endsWith("?")) {
                continue;
            }
            s = stripFiller(s.replaceAll("[.!]+$", "").strip());
            if (s.isEmpty() || GREETING_OR_THANKS.matcher(s).matches()) {
                continue;
            }
            Matcher forget = FORGET_REQUEST.matcher(s);
            if (forget.matches() && !aboutAgent) {
                facts.add(FORGET_PREFIX + forget.group(1).strip());
                continue;
            }
            for (String clause : CLAUSE_JOIN.split(s)) {
                String fact = rewrite(clause.strip(), aboutAgent);
                if (fact != null) {
                    facts.add(fact);
                }
            }
        }
        return facts;
    }

    private static String stripFiller(String s) {
        String previous;
        do {
            previous = s;
            s = LEADING_FILLER.matcher(s).replaceFirst("");
        } while (!s.equals(previous));
        return s;
    }

    /** @return the clause as a third-person fact, or null when it is not a first-person statement */
    private static String rewrite(String clause, boolean aboutAgent) {
        if (clause.isEmpty()) {
            return null;
        }
        Matcher intro = INTRODUCTION.matcher(clause);
        if (intro.matches() && !aboutAgent) {
            return "Name is " + intro.group(1);
        }
        String lower = clause.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        String rest = null;
        String opening = null;
        for (Map.Entry<String, String> e : OPENINGS.entrySet()) {
            if (lower.startsWith(e.getKey())) {
                opening = e.getValue();
                rest = clause.substring(e.getKey().length());
                break;
            }
        }
        if (opening == null) {
            if (lower.startsWith("i ")) {
                rest = conjugated(clause.substring(2).strip());
                opening = "";
            } else {
                return null; // not about the speaker
            }
        }
        String fact = (opening + rest).strip();
        fact = thirdPerson(fact, aboutAgent);
        if (fact.isEmpty()) {
            return null;
        }
        return Character.toUpperCase(fact.charAt(0)) + fact.substring(1);
    }

    /** "usually cook dinner" -> "usually cooks dinner"; "also love sushi" -> "loves sushi". */
    private static String conjugated(String predicate) {
        String[] words = predicate.split("\\s+", -1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < words.length - 1) {
            String w = words[i].toLowerCase(Locale.ROOT);
            if (DROPPED_ADVERBS.contains(w)) {
                i++;
            } else if (ADVERBS.contains(w)) {
                out.append(words[i]).append(' ');
                i++;
            } else {
                break;
            }
        }
        out.append(thirdPersonVerb(words[i]));
        for (int j = i + 1; j < words.length; j++) {
            out.append(' ').append(words[j]);
        }
        return out.toString();
    }

    private static String thirdPersonVerb(String verb) {
        String v = verb.toLowerCase(Locale.ROOT);
        return switch (v) {
            case "have" -> "has";
            case "be" -> "is";
            case "do" -> "does";
            case "go" -> "goes";
            case "quiz" -> "quizzes";
            default -> {
                if (v.matches(".*[^aeiou]y")) {
                    yield verb.substring(0, verb.length() - 1) + "ies";
                }
                if (v.matches(".*(s|sh|ch|x|z|o)")) {
                    yield verb + "es";
                }
                yield verb + "s";
            }
        };
    }

    private static String thirdPerson(String fact, boolean aboutAgent) {
        String out = fact.replaceAll("\\bmyself\\b", "themselves")
                .replaceAll("\\b[Mm]y\\b", "their")
                .replaceAll("\\b[Mm]e\\b", "them")
                .replaceAll("\\bI'm\\b", "they are")
                .replaceAll("\\bI\\b", "they");
        if (aboutAgent) {
            out = out.replaceAll("\\b[Yy]our\\b", "the user's").replaceAll("\\b[Yy]ou\\b", "the user");
        }
        return out.replaceAll("\\s+", " ");
    }

    private static Map<String, String> openings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("my name is ", "Name is ");
        m.put("i'm no longer ", "Is no longer ");
        m.put("i am no longer ", "Is no longer ");
        m.put("i no longer ", "No longer ");
        m.put("i'm not ", "Is not ");
        m.put("i am not ", "Is not ");
        m.put("i'm also ", "Is ");
        m.put("i am also ", "Is ");
        m.put("i'm now ", "Is now ");
        m.put("i'm ", "Is ");
        m.put("i am ", "Is ");
        m.put("i've been ", "Has been ");
        m.put("i have been ", "Has been ");
        m.put("i've got ", "Has ");
        m.put("i've ", "Has ");
        m.put("i have ", "Has ");
        m.put("i don't ", "Does not ");
        m.put("i do not ", "Does not ");
        m.put("i can't ", "Cannot ");
        m.put("i cannot ", "Cannot ");
        m.put("i won't ", "Will not ");
        m.put("i'll ", "Will ");
        m.put("i will ", "Will ");
        m.put("i'd like to ", "Would like to ");
        m.put("i would like to ", "Would like to ");
        m.put("i'd ", "Would ");
        m.put("i can ", "Can ");
        m.put("my ", "");
        return m;
    }

    // ---------------------------------------------------------------- categories

    /** @return the categories a fact belongs to by keyword, {@code misc} when none fits */
    static List<String> categories(String fact) {
        String lower = fact.toLowerCase(Locale.ROOT);
        Set<String> words = new HashSet<>(words(lower));
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : CATEGORY_KEYWORDS.entrySet()) {
            for (String keyword : e.getValue()) {
                boolean hit = keyword.endsWith("*")
                        ? words.stream().anyMatch(w -> w.startsWith(keyword.substring(0, keyword.length() - 1)))
                        : keyword.contains(" ") ? lower.contains(keyword) : words.contains(keyword);
                if (hit) {
                    out.add(e.getKey());
                    break;
                }
            }
        }
        if (out.isEmpty()) {
            out.add("misc");
        }
        return out;
    }

    private static Map<String, List<String>> categoryKeywords() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("personal_details", List.of("name", "years old", "born", "birthday", "birth", "lives", "email", "phone"));
        m.put("food_preferences", List.of("vegetarian", "vegan", "food", "eat*", "cook*", "dish*", "cuisine", "meal*",
                "dinner", "lunch", "breakfast", "sushi", "ramen", "pizza", "pasta", "meat", "fish", "nut*", "gluten",
                "dairy", "restaurant*", "spicy", "coffee", "tea", "recipe*", "shellfish"));
        m.put("health", List.of("allerg*", "diabet*", "asthma", "health*", "doctor", "medication*", "intoleran*"));
        m.put("travel", List.of("trip*", "travel*", "flight*", "fly*", "hotel*", "visit*", "japan", "tokyo", "kyoto",
                "osaka", "vacation*", "itinerar*", "airport*", "temple*", "seat*"));
        m.put("professional_details", List.of("work*", "job", "engineer*", "company", "career", "office", "manager"));
        m.put("education", List.of("learn*", "study*", "studies", "tutor*", "teach*", "lesson*", "course*", "grammar",
                "school", "spanish", "french", "quiz*", "practis*", "practic*"));
        m.put("hobbies", List.of("hobb*", "hiking", "reading", "painting", "guitar", "music", "running", "photograph*"));
        return m;
    }

    // ---------------------------------------------------------------- reconciliation

    private record Existing(String id, String text, boolean immutable) {
    }

    private static String reconcile(String input) {
        JsonNode root;
        try {
            root = JSON.readTree(input);
        } catch (JsonProcessingException e) {
            throw new LlmException("the scripted demo model expected {\"existing_memories\", \"new_facts\"} but got: "
                    + abbreviate(input), e);
        }
        if (root == null || !root.isObject()) {
            throw new LlmException("the scripted demo model expected a JSON object, got: " + abbreviate(input));
        }
        List<Existing> existing = new ArrayList<>();
        for (JsonNode m : root.path("existing_memories")) {
            existing.add(new Existing(m.path("id").asText(), m.path("text").asText(""), m.path("immutable").asBoolean(false)));
        }
        List<String> facts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode f : root.path("new_facts")) {
            String text = f.isObject() ? f.path("text").asText("") : f.asText("");
            if (!text.isBlank() && seen.add(normalise(text))) {
                facts.add(text.strip());
            }
        }

        Map<String, ObjectNode> decided = new LinkedHashMap<>(); // existing id -> its action
        List<ObjectNode> added = new ArrayList<>();
        int nextId = existing.size();
        for (String fact : facts) {
            Existing same = existing.stream().filter(e -> normalise(e.text()).equals(normalise(fact))).findFirst()
                    .orElse(null);
            if (same != null) { // already known
                decided.putIfAbsent(same.id(), action(same.id(), same.text(), "NONE", null));
                continue;
            }
            if (fact.regionMatches(true, 0, FORGET_PREFIX, 0, FORGET_PREFIX.length())) {
                forget(fact.substring(FORGET_PREFIX.length()).strip(), existing, decided);
                continue;
            }
            String negated = negatedSubject(fact);
            if (negated != null) {
                Existing target = bestMatch(existing, decided, negated, 0.0, true);
                if (target != null) {
                    decided.put(target.id(), action(target.id(), target.text(), "DELETE", null));
                }
                continue;
            }
            Existing similar = bestMatch(existing, decided, fact, 0.5, false);
            if (similar != null) {
                decided.put(similar.id(), action(similar.id(), fact, "UPDATE", similar.text()));
            } else {
                added.add(action(String.valueOf(nextId++), fact, "ADD", null));
            }
        }

        ObjectNode answer = JSON.createObjectNode();
        ArrayNode memory = answer.putArray("memory");
        for (Existing e : existing) { // memories no new fact is about are left out: they stay as they are
            if (decided.containsKey(e.id())) {
                memory.add(decided.get(e.id()));
            }
        }
        added.forEach(memory::add);
        return write(answer);
    }

    /**
     * "Wants to forget: food preferences" deletes every mutable memory in that category (by the
     * keyword rules of {@link #categories}) or mentioning all of the topic's content words.
     */
    private static void forget(String topic, List<Existing> existing, Map<String, ObjectNode> decided) {
        String category = topic.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "_");
        Set<String> topicWords = contentWords(topic);
        for (Existing e : existing) {
            if (e.immutable() || decided.containsKey(e.id())) {
                continue;
            }
            boolean inCategory = categories(e.text()).contains(category);
            boolean mentions = !topicWords.isEmpty() && contentWords(e.text()).containsAll(topicWords);
            if (inCategory || mentions) {
                decided.put(e.id(), action(e.id(), e.text(), "DELETE", null));
            }
        }
    }

    /** @return X for "No longer X" / "Is no longer X" / "Does not X anymore", else null */
    private static String negatedSubject(String fact) {
        String lower = fact.toLowerCase(Locale.ROOT);
        for (String prefix : List.of("is no longer ", "no longer ", "does not ")) {
            if (lower.startsWith(prefix) && (!prefix.equals("does not ") || lower.endsWith(" anymore"))) {
                return fact.substring(prefix.length()).replaceAll("(?i)\\s+anymore$", "");
            }
        }
        return null;
    }

    /**
     * @param containment true: the memory must contain every content word of {@code text}; false:
     *                    Jaccard similarity of content words at least {@code minJaccard}
     * @return the best-matching mutable memory not yet acted on, or null
     */
    private static Existing bestMatch(List<Existing> existing, Map<String, ObjectNode> decided, String text,
                                      double minJaccard, boolean containment) {
        Set<String> wanted = contentWords(text);
        if (wanted.isEmpty()) {
            return null;
        }
        Existing best = null;
        double bestScore = -1;
        for (Existing e : existing) {
            if (e.immutable() || decided.containsKey(e.id())) {
                continue;
            }
            Set<String> have = contentWords(e.text());
            Set<String> common = new HashSet<>(have);
            common.retainAll(wanted);
            Set<String> union = new HashSet<>(have);
            union.addAll(wanted);
            double jaccard = union.isEmpty() ? 0 : (double) common.size() / union.size();
            boolean ok = containment ? common.size() == wanted.size() : jaccard >= minJaccard;
            if (ok && jaccard > bestScore) {
                best = e;
                bestScore = jaccard;
            }
        }
        return best;
    }

    private static ObjectNode action(String id, String text, String event, String oldMemory) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("text", text);
        n.put("event", event);
        if (oldMemory != null) {
            n.put("old_memory", oldMemory);
        }
        return n;
    }

    // ---------------------------------------------------------------- procedural summary

    private static String summarise(String transcript) {
        Map<Role, List<String>> lines = transcriptLines(transcript);
        List<String> user = lines.get(Role.USER);
        List<String> assistant = lines.get(Role.ASSISTANT);
        StringBuilder s = new StringBuilder("Task: ").append(user.isEmpty() ? "(not stated)" : user.get(0).strip());
        if (!assistant.isEmpty()) {
            s.append("\nSteps:");
            for (int i = 0; i < assistant.size(); i++) {
                s.append("\n").append(i + 1).append(". ").append(assistant.get(i).strip());
            }
        }
        if (user.size() > 1) {
            s.append("\nLatest user input: ").append(user.get(user.size() - 1).strip());
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("summary", s.toString());
        return write(root);
    }

    // ---------------------------------------------------------------- helpers

    private static Set<String> contentWords(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : words(text.toLowerCase(Locale.ROOT))) {
            if (!STOP_WORDS.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    private static List<String> words(String lower) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(lower);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static String normalise(String text) {
        return text.strip().replaceAll("[.!\\s]+$", "").replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }
}
