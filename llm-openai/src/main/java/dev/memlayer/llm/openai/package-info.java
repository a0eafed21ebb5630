/**
 * OpenAI and OpenAI-compatible providers: {@link dev.memlayer.llm.openai.OpenAiLanguageModel}
 * (Chat Completions) and {@link dev.memlayer.llm.openai.OpenAiEmbedder} (Embeddings), configured by
 * {@link dev.memlayer.llm.openai.OpenAiConfig} and bound for Guice by
 * {@link dev.memlayer.llm.openai.OpenAiModule}. Works with any server that speaks the same API
 * (Azure OpenAI, vLLM, llama.cpp, LM Studio, Ollama's /v1, OpenRouter, Groq, DeepSeek).
 */
package dev.memlayer.llm.openai;
