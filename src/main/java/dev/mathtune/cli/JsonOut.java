package dev.mathtune.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Prints values as JSON on standard output. */
final class JsonOut {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonOut() {
    }

    static void print(Object value) throws JsonProcessingException {
        System.out.println(MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
    }

    /** One line of JSON (for JSONL outputs). */
    static void line(Object value) throws JsonProcessingException {
        System.out.println(MAPPER.writeValueAsString(value));
    }
}
