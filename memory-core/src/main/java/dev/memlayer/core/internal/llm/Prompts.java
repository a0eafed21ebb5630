package dev.memlayer.core.internal.llm;

import java.time.LocalDate;

/**
 * memlayer's prompts (written for memlayer, not copied from Mem0) and the JSON schemas sent to
 * models that enforce them. A caller's custom prompt replaces the instructions; the output-format
 * section is always appended, so the answer stays parseable.
 */
public final class Prompts {

    /** Schema name of fact extraction (protocol: the call kind). */
    public static final String FACTS_SCHEMA_NAME = "memlayer_facts";
    /** Schema name of reconciliation. */
    public static final String ACTIONS_SCHEMA_NAME = "memlayer_memory_actions";
    /** Schema name of procedural summaries. */
    public static final String PROCEDURE_SCHEMA_NAME = "memlayer_procedure";

    private Prompts() {
    }

    /** Instructions for extracting facts about the user from the user's messages. */
    public static final String USER_FACTS = """
            You are the memory writer of a personal assistant. You read a conversation and write down \
            the durable facts it reveals about the USER, so that the assistant can remember them in \
            later conversations.

            Where facts come from:
            - Use only the lines that start with "user:". Lines starting with "assistant:" or "system:" \
            are context that helps you understand the user; never record what the assistant said, \
            suggested or assumed as a fact about the user.

            What to record:
            - Preferences and dislikes: food, drinks, music, films, books, hobbies, brands, ways of travelling.
            - Personal details: name, age, birthday, family members, pets, where they live or come from, languages.
            - Plans and goals: upcoming events, appointments, trips, intentions, with their dates when given.
            - Relationships: friends, partners, relatives, colleagues, and what the user says about them.
            - Health: allergies, intolerances, diets, conditions, medication, fitness habits.
            - Professional information: job, employer, role, skills, projects, tools they work with, studies.
            - Anything else lasting that the user would expect a good assistant to remember.
            - A request to forget or delete something is a fact too; write it as "Wants to forget: <topic>", \
            for example "Wants to forget: food preferences".

            What to skip:
            - Greetings, thanks, small talk and questions that reveal nothing lasting about the user.
            - General knowledge, and anything only the assistant said.
            - Passing moods or one-off details that will not matter later.

            How to write facts:
            - One fact per item: a short, self-contained statement, usually without "The user" as the \
            subject, e.g. "Is vegetarian", "Allergic to peanuts", "Has a dog named Rex".
            - Write each fact in the language the user writes in.
            - Turn relative dates ("tomorrow", "last week") into calendar dates using today's date.
            - Give each fact one or more short snake_case categories, such as food_preferences, \
            personal_details, plans, relationships, health, professional, hobbies, travel, misc.
            - If nothing is worth remembering, return an empty list.

            Examples:
            Conversation:
            user: Hi! How are you today?
            assistant: Great, thanks! How can I help?
            Answer: {"facts": []}

            Conversation:
            user: I'm Maya, I work as a nurse in Lisbon. I can't eat shellfish.
            assistant: Nice to meet you, Maya! Do you have a favourite dish?
            user: Bacalhau, always.
            Answer: {"facts": [{"text": "Name is Maya", "categories": ["personal_details"]}, \
            {"text": "Works as a nurse", "categories": ["professional"]}, \
            {"text": "Lives in Lisbon", "categories": ["personal_details"]}, \
            {"text": "Allergic to shellfish", "categories": ["health", "food_preferences"]}, \
            {"text": "Favourite dish is bacalhau", "categories": ["food_preferences"]}]}

            Conversation:
            user: Please delete all of my food preferences.
            Answer: {"facts": [{"text": "Wants to forget: food preferences", "categories": ["food_preferences"]}]}
            """;

    /** Instructions for extracting facts about the assistant (agent memory) from its own messages. */
    public static final String AGENT_FACTS = """
            You are the memory writer of an AI assistant. You read a conversation and write down the \
            durable facts about the ASSISTANT itself, taken from the assistant's own messages, so that it \
            stays consistent in later conversations.

            Where facts come from:
            - Use only the lines that start with "assistant:": what the assistant says about itself, \
            its abilities, its habits and its choices.
            - Lines starting with "user:" or "system:" are context. Read them to understand what the \
            assistant means, but never record something as a fact about the assistant only because the \
            user or the system said it; record it only when the assistant's own messages state or \
            confirm it.

            What to record:
            - Persona: name, role, personality, tone and style of speaking.
            - Capabilities and limits: what it can and cannot do, tools and sources it uses.
            - Rules it says it follows and commitments it makes.
            - Its own stated preferences and opinions.

            What to skip:
            - Facts about the user (another step records those), one-off answers to questions, small talk.
            - Anything that appears only in user or system lines.

            How to write facts:
            - One fact per item, a short self-contained statement, e.g. "Name is Ada", \
            "Answers in French", "Can book train tickets".
            - Keep the language of the conversation.
            - Give each fact one or more short snake_case categories, such as persona, capabilities, \
            rules, preferences, misc.
            - If nothing is worth remembering, return an empty list.

            Example:
            Conversation:
            system: You are a cheerful travel assistant.
            user: Can you book trains? And what's your name?
            assistant: I'm Ada! I can search and book European trains, but I can't book flights.
            Answer: {"facts": [{"text": "Name is Ada", "categories": ["persona"]}, \
            {"text": "Can search and book European trains", "categories": ["capabilities"]}, \
            {"text": "Cannot book flights", "categories": ["capabilities"]}]}
            """;

    /** The output format of fact extraction, always appended. */
    public static String factsFormat(LocalDate today) {
        return """
                Today's date is %s.

                Output format: answer with one JSON object and nothing else, no prose and no code fences:
                {"facts": [{"text": "<fact>", "categories": ["<category>", ...]}, ...]}
                Use {"facts": []} when there is nothing to remember. The conversation follows in the \
                next message, one line per message as "<role>: <content>".
                """.formatted(today);
    }

    /** Instructions for reconciling new facts with stored memories. */
    public static final String RECONCILE = """
            You keep a memory store up to date. You receive the memories already stored, each with an \
            id, and new facts that were just learned. Decide what happens to each stored memory and to \
            each new fact, using exactly one of four events:

            - ADD: the fact is new information that no stored memory covers. Give its text. Its id is \
            ignored; a new one is created.
            - UPDATE: the fact is about the same thing as a stored memory and adds to it, refines it or \
            replaces it with newer information. Keep the stored memory's id, give the new combined text \
            and set old_memory to the stored text. Keep the richer version: "Likes cricket" + \
            "Loves playing cricket with friends" becomes "Loves playing cricket with friends". When the \
            stored memory already says the same thing or more, use NONE instead.
            - DELETE: the fact shows that a stored memory is no longer true and nothing replaces it, or \
            the user asked to forget it. Keep the stored memory's id.
            - NONE: the stored memory stays as it is. Use it too when a new fact is already stored.

            Rules:
            - For UPDATE, DELETE and NONE use only ids that appear in existing_memories. Never invent an \
            id and never change an id.
            - Never UPDATE or DELETE a memory marked "immutable": true. Use NONE for it; if the new fact \
            still adds information, ADD it as a separate memory.
            - Deletion requests: a new fact such as "Wants to forget: <topic>" (or "Delete all of my \
            <topic>") means DELETE every stored memory about that topic. Do not ADD the request itself.
            - A fact that contradicts a stored memory replaces it: UPDATE the memory to the new truth \
            ("Lives in Paris" stored, new fact "Moved to Berlin" -> UPDATE to "Lives in Berlin").
            - Mention each stored memory at most once. Every new fact must end up as an ADD, inside an \
            UPDATE, or covered by a NONE.
            - Keep the language the memories and facts are written in.

            Examples:
            Input: {"existing_memories": [{"id": "0", "text": "Is vegetarian", "immutable": false}], \
            "new_facts": ["Allergic to nuts"]}
            Answer: {"memory": [{"id": "0", "text": "Is vegetarian", "event": "NONE", "old_memory": null}, \
            {"id": "new", "text": "Allergic to nuts", "event": "ADD", "old_memory": null}]}

            Input: {"existing_memories": [{"id": "0", "text": "Has a dog", "immutable": false}], \
            "new_facts": ["Has a dog named Rex", "Has a dog"]}
            Answer: {"memory": [{"id": "0", "text": "Has a dog named Rex", "event": "UPDATE", "old_memory": "Has a dog"}]}

            Input: {"existing_memories": [{"id": "0", "text": "Is vegetarian", "immutable": false}, \
            {"id": "1", "text": "Loves Thai curry", "immutable": false}, \
            {"id": "2", "text": "Works as a nurse", "immutable": false}], \
            "new_facts": ["Wants to forget: food preferences"]}
            Answer: {"memory": [{"id": "0", "text": "Is vegetarian", "event": "DELETE", "old_memory": null}, \
            {"id": "1", "text": "Loves Thai curry", "event": "DELETE", "old_memory": null}, \
            {"id": "2", "text": "Works as a nurse", "event": "NONE", "old_memory": null}]}

            Input: {"existing_memories": [{"id": "0", "text": "Birthday is 3 May", "immutable": true}], \
            "new_facts": ["Birthday is 5 May"]}
            Answer: {"memory": [{"id": "0", "text": "Birthday is 3 May", "event": "NONE", "old_memory": null}, \
            {"id": "new", "text": "Birthday is 5 May", "event": "ADD", "old_memory": null}]}
            """;

    /** The output format of reconciliation, always appended. */
    public static final String RECONCILE_FORMAT = """
            Output format: answer with one JSON object and nothing else, no prose and no code fences:
            {"memory": [{"id": "<id>", "text": "<memory text after the event>", \
            "event": "ADD" | "UPDATE" | "DELETE" | "NONE", "old_memory": "<stored text, for UPDATE>" or null}, ...]}
            The input follows in the next message as a JSON object with "existing_memories" and "new_facts".
            """;

    /** Instructions for summarising an agent's run as procedural memory. */
    public static final String PROCEDURE = """
            You write the procedural memory of an AI agent: a faithful record of how it carried out a \
            task, detailed enough that the agent can resume or repeat the work later without doing it \
            again. Read the conversation and write a summary with three parts:

            Task: the overall goal, in one or two sentences.
            Steps: numbered, in the order they happened. For each step give the action (the tool, \
            command or request, with its key parameters) and its result (the important data returned, \
            errors met, decisions taken). Keep concrete values such as URLs, file names, ids, numbers \
            and quotes exactly as they appeared.
            Outcome: what was achieved, what is still open, and the current state.

            Record only what actually happened; do not invent steps, results or commentary.
            """;

    /** The output format of procedural summaries, always appended. */
    public static final String PROCEDURE_FORMAT = """
            Output format: answer with one JSON object and nothing else, no prose and no code fences:
            {"summary": "<the summary, as plain text with line breaks written as \\n>"}
            The conversation follows in the next message, one line per message as "<role>: <content>".
            """;

    /** JSON Schema of the fact-extraction answer (strict: every property required, no others). */
    public static final String FACTS_SCHEMA = """
            {"type": "object", "properties": {"facts": {"type": "array", "items": {"type": "object", \
            "properties": {"text": {"type": "string"}, "categories": {"type": "array", "items": {"type": "string"}}}, \
            "required": ["text", "categories"], "additionalProperties": false}}}, \
            "required": ["facts"], "additionalProperties": false}""";

    /** JSON Schema of the reconciliation answer. */
    public static final String ACTIONS_SCHEMA = """
            {"type": "object", "properties": {"memory": {"type": "array", "items": {"type": "object", \
            "properties": {"id": {"type": "string"}, "text": {"type": "string"}, \
            "event": {"type": "string", "enum": ["ADD", "UPDATE", "DELETE", "NONE"]}, \
            "old_memory": {"type": ["string", "null"]}}, \
            "required": ["id", "text", "event", "old_memory"], "additionalProperties": false}}}, \
            "required": ["memory"], "additionalProperties": false}""";

    /** JSON Schema of the procedural-summary answer. */
    public static final String PROCEDURE_SCHEMA = """
            {"type": "object", "properties": {"summary": {"type": "string"}}, \
            "required": ["summary"], "additionalProperties": false}""";
}
