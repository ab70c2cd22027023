package dev.mathtune.tokenizer;

import dev.mathtune.UserError;
import dev.mathtune.generate.ChatMessage;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatTemplateTest {

    @Test
    void builtInChatMlAddsDefaultSystemMessage() {
        String out = ChatTemplate.chatMl().render(List.of(ChatMessage.user("Hi")), true);
        assertEquals("<|im_start|>system\n" + ChatTemplate.QWEN25_DEFAULT_SYSTEM + "<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", out);
    }

    @Test
    void builtInChatMlKeepsAGivenSystemMessage() {
        String out = ChatTemplate.chatMl("You are a helpful assistant.")
                .render(List.of(ChatMessage.system("Solve it."), ChatMessage.user("1+1"), ChatMessage.assistant("2")), false);
        assertEquals("<|im_start|>system\nSolve it.<|im_end|>\n<|im_start|>user\n1+1<|im_end|>\n"
                + "<|im_start|>assistant\n2<|im_end|>\n", out);
    }

    @Test
    void builtInChatMlWithoutDefaultSystem() {
        assertEquals("<|im_start|>user\nx<|im_end|>\n",
                ChatTemplate.chatMl(null).render(List.of(ChatMessage.user("x")), false));
    }

    @Test
    void raiseExceptionBecomesUserError() {
        ChatTemplate t = ChatTemplate.of("{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversation must start with user') }}{% endif %}ok",
                null, null);
        assertEquals("ok", t.render(List.of(ChatMessage.user("a")), false));
        UserError e = assertThrows(UserError.class, () -> t.render(List.of(ChatMessage.assistant("a")), false));
        assertTrue(e.getMessage().contains("Conversation must start with user"), e.getMessage());
    }

    @Test
    void bosEosAndPythonStringMethods() {
        ChatTemplate t = ChatTemplate.of("{{ bos_token }}{% for m in messages %}{{ m.content.strip() | upper }}|"
                + "{{ m.content.split(',')[-1].lstrip() }}|{{ m.content.startswith(' a') }}{% endfor %}{{ eos_token }}",
                "<s>", "</s>");
        assertEquals("<s>A, B.C|b.c |true</s>", t.render(List.of(ChatMessage.user(" a, b.c ")), false));
    }

    @Test
    void namespaceAndReversedSlice() {
        ChatTemplate t = ChatTemplate.of("{%- set ns = namespace(last=messages|length - 1) %}{{ ns.last }}:"
                + "{%- for m in messages[::-1] %}{{ m.content }}{% endfor %}", null, null);
        assertEquals("2:cba", t.render(List.of(ChatMessage.user("a"), ChatMessage.user("b"), ChatMessage.user("c")), false));
    }

    @Test
    void strftimeFormatsPythonDirectives() {
        assertEquals("05 Mar 2024 07:09",
                TemplateFunctions.strftime(LocalDateTime.of(2024, 3, 5, 7, 9), "%d %b %Y %H:%M"));
        String today = ChatTemplate.of("{{ strftime_now('%Y') }}", null, null).render(List.of(), false);
        assertEquals(String.valueOf(LocalDateTime.now().getYear()), today);
    }
}
