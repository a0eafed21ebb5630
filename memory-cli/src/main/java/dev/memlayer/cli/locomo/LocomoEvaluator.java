package dev.memlayer.cli.locomo;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Message;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.SearchRequest;
import dev.memlayer.cli.locomo.EvalResult.QuestionOutcome;
import dev.memlayer.cli.locomo.LocomoDataset.Conversation;
import dev.memlayer.cli.locomo.LocomoDataset.Question;
import dev.memlayer.cli.locomo.LocomoDataset.Session;
import dev.memlayer.cli.locomo.LocomoDataset.Turn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LoCoMo retrieval evaluation on a {@link Memory}.
 *
 * <ol>
 *   <li>Ingest: for each conversation, every dialogue turn becomes one memory, added with
 *       {@code infer=false} as a user message named after the speaker whose text is
 *       {@code "<speaker>: <text>"}; scope {@code user_id = sample_id}; metadata
 *       {@code sample_id}, {@code dia_id}, {@code session}, {@code session_date}; {@code created_at}
 *       = the session's date plus the turn's index in seconds (when the date is readable). Memories
 *       left in those scopes by an earlier run are deleted first. Conversations are ingested in
 *       parallel ({@code ingestThreads}), the turns of one conversation in order.</li>
 *   <li>Search: every question with evidence is a search scoped to its conversation with limit
 *       {@value #SEARCH_LIMIT}, one after the other, each timed.</li>
 *   <li>Score: recall@1, @5 and @10 of the evidence turns ({@link Recall}), overall and per
 *       category; latency percentiles ({@link LatencyStats}).</li>
 * </ol>
 */
public final class LocomoEvaluator {

    /** Results asked for per question: enough for recall@10. */
    public static final int SEARCH_LIMIT = 10;
    /** The cut-offs reported. */
    static final int[] KS = {1, 5, 10};

    private static final Logger LOG = LoggerFactory.getLogger(LocomoEvaluator.class);

    private final Memory memory;
    private final int ingestThreads;
    private final ProgressListener progress;

    /**
     * @param memory        the memory to fill and query; the evaluator does not close it
     * @param ingestThreads conversations ingested at once, at least 1
     * @param progress      told about progress, not null
     */
    public LocomoEvaluator(Memory memory, int ingestThreads, ProgressListener progress) {
        if (ingestThreads < 1) {
            throw new IllegalArgumentException("ingestThreads must be at least 1, got " + ingestThreads);
        }
        this.memory = Objects.requireNonNull(memory, "memory");
        this.ingestThreads = ingestThreads;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs the evaluation.
     *
     * @param data the conversations and questions
     * @return the measurements
     * @throws dev.memlayer.api.MemoryException when the memory fails
     */
    public EvalResult evaluate(LocomoDataset data) {
        double ingestSeconds = ingest(data);

        List<Question> skipped = new ArrayList<>();
        List<Map.Entry<Conversation, Question>> asked = new ArrayList<>();
        for (Conversation c : data.conversations()) {
            for (Question q : c.questions()) {
                if (q.evidence().isEmpty()) {
                    skipped.add(q);
                } else {
                    asked.add(Map.entry(c, q));
                }
            }
        }
        if (!skipped.isEmpty()) {
            LOG.info("{} questions have no usable evidence and are not evaluated", skipped.size());
        }

        progress.start("search", asked.size(), "questions");
        List<QuestionOutcome> outcomes = new ArrayList<>(asked.size());
        long[] latencies = new long[asked.size()];
        long searchStart = System.nanoTime();
        for (int i = 0; i < asked.size(); i++) {
            Conversation c = asked.get(i).getKey();
            Question q = asked.get(i).getValue();
            long t0 = System.nanoTime();
            List<MemoryItem> results = memory.search(SearchRequest.builder(q.question())
                    .scope(Scope.user(c.sampleId()))
                    .limit(SEARCH_LIMIT)
                    .build()).results();
            latencies[i] = System.nanoTime() - t0;
            List<String> retrieved = new ArrayList<>(results.size());
            for (MemoryItem item : results) {
                Object diaId = item.metadata().get("dia_id");
                retrieved.add(diaId == null ? "" : diaId.toString());
            }
            double[] recall = new double[KS.length];
            for (int k = 0; k < KS.length; k++) {
                recall[k] = Recall.atK(retrieved, q.evidence(), KS[k]);
            }
            outcomes.add(new QuestionOutcome(c.sampleId(), q.question(), q.category(), q.evidence(), retrieved, recall,
                    latencies[i] / 1e6));
            progress.advance(1);
        }
        double searchSeconds = (System.nanoTime() - searchStart) / 1e9;
        progress.finish();

        Map<Integer, List<double[]>> byCategory = new TreeMap<>();
        List<double[]> all = new ArrayList<>(outcomes.size());
        for (QuestionOutcome o : outcomes) {
            all.add(o.recall());
            byCategory.computeIfAbsent(o.category(), k -> new ArrayList<>()).add(o.recall());
        }
        TreeMap<Integer, Recall> categoryRecall = new TreeMap<>();
        byCategory.forEach((category, values) -> categoryRecall.put(category, Recall.mean(values)));
        LatencyStats latency = new LatencyStats(latencies);
        return new EvalResult(data.conversations().size(), data.turnCount(), skipped.size(), Recall.mean(all),
                categoryRecall, ingestSeconds, searchSeconds, latency.percentileMillis(50), latency.percentileMillis(95),
                outcomes);
    }

    private double ingest(LocomoDataset data) {
        progress.start("ingest", data.turnCount(), "turns");
        long start = System.nanoTime();
        int threads = Math.min(ingestThreads, Math.max(1, data.conversations().size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "locomo-ingest");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Conversation c : data.conversations()) {
                futures.add(pool.submit(() -> ingest(c)));
            }
            for (Future<?> f : futures) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.finish();
        return seconds;
    }

    private void ingest(Conversation c) {
        Scope scope = Scope.user(c.sampleId());
        long stale = memory.deleteAll(scope);
        if (stale > 0) {
            LOG.info("deleted {} memories of {} left from an earlier run", stale, c.sampleId());
        }
        for (Session session : c.sessions()) {
            List<Turn> turns = session.turns();
            for (int i = 0; i < turns.size(); i++) {
                Turn turn = turns.get(i);
                AddResult result = memory.add(request(c, session, turn, i));
                if (result.results().size() != 1) {
                    LOG.warn("turn {} of {} produced {} memories, expected 1", turn.diaId(), c.sampleId(),
                            result.results().size());
                }
                progress.advance(1);
            }
        }
    }

    /**
     * @return the add request for one turn: {@code infer=false}, one named user message
     *         {@code "<speaker>: <text>"}, the conversation's scope, the turn's metadata and timestamp
     */
    static AddRequest request(Conversation c, Session session, Turn turn, int index) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("sample_id", c.sampleId());
        metadata.put("dia_id", turn.diaId());
        metadata.put("session", session.number());
        if (session.dateTime() != null) {
            metadata.put("session_date", session.dateTime());
        }
        AddRequest.Builder b = AddRequest.builder()
                .message(new Message(Role.USER, turn.speaker() + ": " + turn.text(), actorId(turn.speaker())))
                .scope(Scope.user(c.sampleId()))
                .infer(false)
                .metadata(metadata);
        if (session.startsAt() != null) {
            b.timestamp(session.startsAt().plusSeconds(index));
        }
        return b.build();
    }

    /** @return the speaker's name as an actor id: ids cannot hold whitespace, so runs of it become "_" */
    static String actorId(String speaker) {
        return speaker.strip().replaceAll("\\s+", "_");
    }

    private static void await(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ingesting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
