package dev.mathtune.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.mathtune.UserError;
import dev.mathtune.generate.ChatMessage;
import jinjava.javax.el.CompositeELResolver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face chat template (the Jinja {@code chat_template} of {@code tokenizer_config.json}) rendered with
 * Jinjava as {@code apply_chat_template(messages, add_generation_prompt=...)} does: {@code trim_blocks} and
 * {@code lstrip_blocks} on, variables {@code messages}, {@code add_generation_prompt}, {@code bos_token},
 * {@code eos_token}, functions {@code raise_exception} and {@code strftime_now}, and the Python string methods
 * templates use. Immutable and safe to share between threads.
 */
public final class ChatTemplate {
    /** Qwen2.5-Instruct's default system message, used by {@link #chatMl()} when the chat has none. */
    public static final String QWEN25_DEFAULT_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;
    private final String jinjavaSource;

    private ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = source;
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.jinjava = newJinjava();
        this.jinjavaSource = HfTemplateDialect.rewrite(source);
    }

    /** A template from its Jinja source; {@code bosToken}/{@code eosToken} may be null. */
    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        return new ChatTemplate(source, bosToken, eosToken);
    }

    /** The built-in ChatML template of Qwen2.5 (without tools), with Qwen2.5's default system message. */
    public static ChatTemplate chatMl() {
        return chatMl(QWEN25_DEFAULT_SYSTEM);
    }

    /**
     * The built-in ChatML template: {@code <|im_start|>role\ncontent<|im_end|>\n} per message, a system message
     * {@code defaultSystem} first when the chat does not start with one (none when {@code defaultSystem} is null),
     * and {@code <|im_start|>assistant\n} as generation prompt.
     */
    public static ChatTemplate chatMl(String defaultSystem) {
        return of(chatMlSource(defaultSystem), null, "<|im_end|>");
    }

    /** Jinja source of {@link #chatMl(String)}. */
    public static String chatMlSource(String defaultSystem) {
        String preamble = defaultSystem == null ? "" : """
                {%- if messages|length == 0 or messages[0]['role'] != 'system' %}
                    {{- '<|im_start|>system\\n' + default_system + '<|im_end|>\\n' }}
                {%- endif %}
                """.replace("default_system", "'" + defaultSystem.replace("\\", "\\\\").replace("'", "\\'") + "'");
        return preamble + """
                {%- for message in messages %}
                    {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}
                {%- endfor %}
                {%- if add_generation_prompt %}
                    {{- '<|im_start|>assistant\\n' }}
                {%- endif %}
                """;
    }

    /** The Jinja source as given. */
    public String source() {
        return source;
    }

    /** Renders {@code messages}; with {@code addGenerationPrompt} the prompt that opens the assistant's turn. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders {@code messages} with extra template variables (e.g. {@code enable_thinking}).
     *
     * @throws UserError when the template fails or calls {@code raise_exception}
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        Map<String, Object> context = new HashMap<>(variables);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content() == null ? "" : m.content());
            list.add(map);
        }
        context.put("messages", list);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.putIfAbsent("bos_token", bosToken);
        context.putIfAbsent("eos_token", eosToken);
        RenderResult result = jinjava.renderForResult(jinjavaSource, context);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new UserError("chat template: " + errorMessage(error)
                        + (error.getLineno() > 0 ? " (template line " + error.getLineno() + ")" : ""));
            }
        }
        return result.getOutput();
    }

    private static String errorMessage(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateFunctions.TemplateException e) {
                return e.getMessage();
            }
        }
        return error.getMessage();
    }

    private static Jinjava newJinjava() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        LegacyOverrides python = LegacyOverrides.newBuilder()
                .withUseNaturalOperatorPrecedence(true)
                .withParseWhitespaceControlStrictly(true)
                .withUseTrimmingForNotesAndExpressions(true)
                .withKeepNullableLoopValues(true)
                .withEvaluateMapKeys(true)
                .build();
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(python)
                .withElResolver(resolver)
                .build();
        Jinjava jinjava = new Jinjava(config);
        register(jinjava, "raise_exception", "raiseException");
        register(jinjava, "strftime_now", "strftimeNow");
        return jinjava;
    }

    private static void register(Jinjava jinjava, String name, String method) {
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", name, TemplateFunctions.class, method, String.class));
    }
}
