package dev.memlayer.cli.locomo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conversations and questions of a LoCoMo file (Maharana et al., "Evaluating Very Long-Term
 * Conversational Memory of LLM Agents", ACL 2024; snap-research/LoCoMo, {@code data/locomo10.json}).
 *
 * <p>The file is a JSON list of samples, each {@code {"sample_id", "conversation": {"speaker_a",
 * "speaker_b", "session_N_date_time", "session_N": [{"speaker", "dia_id", "text", "blip_caption"?}]},
 * "qa": [{"question", "answer" | "adversarial_answer", "evidence": [dia_id...], "category"}]}}.
 * Other keys (observations, summaries) are ignored.
 *
 * @param source        where the data was read from, or null
 * @param conversations the samples, in file order
 */
public record LocomoDataset(Path source, List<Conversation> conversations) {

    /** The published download, for messages. */
    public static final String PUBLISHER_URL = "https://github.com/snap-research/LoCoMo";
    /** The file in the published repository. */
    public static final String PUBLISHED_FILE = "data/locomo10.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern SESSION_KEY = Pattern.compile("session_(\\d+)");
    /** LoCoMo's session timestamps, e.g. {@code 1:56 pm on 8 May, 2023}. */
    private static final DateTimeFormatter SESSION_DATE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("h:mm a 'on' d MMMM, yyyy")
            .toFormatter(Locale.ENGLISH);
    private static final Map<Integer, String> CATEGORY_NAMES = Map.of(
            1, "multi-hop", 2, "temporal", 3, "open-domain", 4, "single-hop", 5, "adversarial");

    public LocomoDataset {
        conversations = List.copyOf(conversations);
    }

    /**
     * One sample: a long conversation between two speakers over many sessions, and the questions
     * asked about it.
     *
     * @param sampleId  e.g. {@code conv-26}
     * @param speakerA  the first speaker's name
     * @param speakerB  the second speaker's name
     * @param sessions  the sessions, by number
     * @param questions the questions, in file order
     */
    public record Conversation(String sampleId, String speakerA, String speakerB, List<Session> sessions,
                               List<Question> questions) {
        public Conversation {
            sessions = List.copyOf(sessions);
            questions = List.copyOf(questions);
        }

        /** @return the number of dialogue turns in all sessions */
        public int turnCount() {
            return sessions.stream().mapToInt(s -> s.turns().size()).sum();
        }
    }

    /**
     * @param number   the session number, from 1
     * @param dateTime the session's timestamp as written in the file (e.g. {@code 1:56 pm on 8 May, 2023}),
     *                 or null
     * @param startsAt the timestamp parsed as UTC, or null when absent or unreadable
     * @param turns    the dialogue turns in order
     */
    public record Session(int number, String dateTime, Instant startsAt, List<Turn> turns) {
        public Session {
            turns = List.copyOf(turns);
        }
    }

    /**
     * @param diaId        the canonical dialogue id, e.g. {@code D3:7} (see {@link EvidenceIds})
     * @param speaker      who said it
     * @param text         what was said
     * @param imageCaption the BLIP caption of an image shared with the turn, or null
     */
    public record Turn(String diaId, String speaker, String text, String imageCaption) {
    }

    /**
     * @param question    the question
     * @param category    1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial
     * @param evidence    the canonical dia_ids of the turns that answer it (see
     *                    {@link EvidenceIds#normalise}); empty when the file gives none usable
     * @param rawEvidence the evidence entries as written in the file
     */
    public record Question(String question, int category, List<String> evidence, List<String> rawEvidence) {
        public Question {
            evidence = List.copyOf(evidence);
            rawEvidence = List.copyOf(rawEvidence);
        }
    }

    /** @return the number of dialogue turns in all conversations */
    public int turnCount() {
        return conversations.stream().mapToInt(Conversation::turnCount).sum();
    }

    /**
     * @param category a LoCoMo question category
     * @return its name ({@code multi-hop}, {@code temporal}, {@code open-domain},
     *         {@code single-hop}, {@code adversarial}), or {@code category-N} for another number
     */
    public static String categoryName(int category) {
        return CATEGORY_NAMES.getOrDefault(category, "category-" + category);
    }

    /**
     * Picks the data file: the one given with {@code --data}, else the first default location that
     * exists.
     *
     * @param explicit the path given by the user, or null
     * @param defaults default locations, most preferred first
     * @return an existing regular file
     * @throws LocomoDataException with a message saying where LoCoMo is published and how to pass it
     */
    public static Path locate(Path explicit, List<Path> defaults) {
        if (explicit != null) {
            if (Files.isRegularFile(explicit)) {
                return explicit;
            }
            throw new LocomoDataException("LoCoMo data not found at " + explicit.toAbsolutePath().normalize()
                    + " (given with --data).\n" + whereToGetIt());
        }
        for (Path candidate : defaults) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        StringBuilder message = new StringBuilder("LoCoMo data not found. Looked for:\n");
        defaults.forEach(p -> message.append("  ").append(p).append('\n'));
        throw new LocomoDataException(message + whereToGetIt());
    }

    private static String whereToGetIt() {
        return "LoCoMo (Maharana et al., ACL 2024) is published by snap-research at " + PUBLISHER_URL
                + " (file " + PUBLISHED_FILE + ", licence CC BY-NC 4.0).\n"
                + "This project expects it at ../shared/data/locomo-dev.json, relative to the repository folder;"
                + " or pass any file in the same format:\n"
                + "  bin/memlayer eval locomo --data path/to/locomo10.json";
    }

    /**
     * Reads a LoCoMo file.
     *
     * @param path the file
     * @return the dataset
     * @throws LocomoDataException when the file cannot be read or is not in LoCoMo's format
     */
    public static LocomoDataset read(Path path) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.newBufferedReader(path));
        } catch (IOException e) {
            throw new LocomoDataException("cannot read LoCoMo data from " + path + ": " + e.getMessage(), e);
        }
        return parse(root, path);
    }

    /**
     * @param root   the parsed file
     * @param source where it came from, for messages; may be null
     * @return the dataset
     * @throws LocomoDataException when the tree is not in LoCoMo's format
     */
    public static LocomoDataset parse(JsonNode root, Path source) {
        String where = source == null ? "the data" : source.toString();
        if (root == null || !root.isArray()) {
            throw new LocomoDataException(where + " is not a LoCoMo file: expected a JSON list of samples"
                    + " with sample_id, conversation and qa");
        }
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            conversations.add(conversation(root.get(i), where + "[" + i + "]"));
        }
        return new LocomoDataset(source, conversations);
    }

    private static Conversation conversation(JsonNode sample, String where) {
        String sampleId = text(sample, "sample_id");
        JsonNode conversation = sample.path("conversation");
        if (sampleId == null || !conversation.isObject()) {
            throw new LocomoDataException(where + " is not a LoCoMo sample: it needs sample_id and conversation");
        }
        List<Session> sessions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : conversation.properties()) {
            Matcher m = SESSION_KEY.matcher(field.getKey());
            if (m.matches() && field.getValue().isArray()) {
                int number = Integer.parseInt(m.group(1));
                String dateTime = text(conversation, field.getKey() + "_date_time");
                sessions.add(new Session(number, dateTime, parseSessionDate(dateTime), turns(field.getValue())));
            }
        }
        sessions.sort(Comparator.comparingInt(Session::number));
        List<Question> questions = new ArrayList<>();
        for (JsonNode qa : sample.path("qa")) {
            String question = text(qa, "question");
            if (question == null || question.isBlank()) {
                continue;
            }
            List<String> raw = new ArrayList<>();
            qa.path("evidence").forEach(e -> raw.add(e.asText()));
            questions.add(new Question(question.strip(), qa.path("category").asInt(0), EvidenceIds.normalise(raw), raw));
        }
        return new Conversation(sampleId, text(conversation, "speaker_a"), text(conversation, "speaker_b"), sessions,
                questions);
    }

    private static List<Turn> turns(JsonNode array) {
        List<Turn> turns = new ArrayList<>(array.size());
        for (JsonNode t : array) {
            String diaId = text(t, "dia_id");
            String speaker = text(t, "speaker");
            String text = text(t, "text");
            if (diaId == null || speaker == null || text == null) {
                continue;
            }
            turns.add(new Turn(EvidenceIds.canonicalTurnId(diaId), speaker.strip(), text.strip(), text(t, "blip_caption")));
        }
        return turns;
    }

    /**
     * @param dateTime a LoCoMo session timestamp such as {@code 1:56 pm on 8 May, 2023}
     * @return the instant, read as UTC, or null when absent or in another format
     */
    static Instant parseSessionDate(String dateTime) {
        if (dateTime == null || dateTime.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(dateTime.strip(), SESSION_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
