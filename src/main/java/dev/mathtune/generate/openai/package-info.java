/**
 * OpenAI-compatible HTTP on both sides of a {@link dev.mathtune.generate.TextGenerator}.
 *
 * <p>{@link dev.mathtune.generate.openai.OpenAiClient} is a generator over any OpenAI-compatible server
 * (vLLM, SGLang, llama.cpp, Ollama): concurrent requests, retries with backoff, timeouts, an optional rate limit.
 *
 * <p>{@link dev.mathtune.generate.openai.OpenAiServer} serves any generator (the embedded engine) over
 * {@code /v1/completions}, {@code /v1/chat/completions} and {@code /v1/models}, batching requests that arrive
 * together into one {@code generate} call. Its answers carry the completion's {@code token_ids}, which the client
 * reads, so that output through the server is identical to the engine's own. Over the embedded engine it also
 * streams text deltas as tokens are decoded ({@link dev.mathtune.generate.openai.EventStream}), answers {@code n}
 * choices and log-probs, and drops the sequences of a client that disconnects. One server may answer for several
 * names ({@link dev.mathtune.generate.openai.ServedModel}: a base model and adapters on it), with a queue per name
 * served round-robin.
 *
 * <pre>{@code
 * try (OpenAiServer server = OpenAiServer.start(engine, "qwen2.5-0.5b", ServerOptions.onPort(8000));
 *      OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(server.url(), "qwen2.5-0.5b"))) {
 *     client.generate(requests, completion -> ...);   // sink is called from worker threads
 * }
 * }</pre>
 */
package dev.mathtune.generate.openai;
