package dev.mathtune.generate.calc;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class OpenAnnotationTest {
    @Test
    void theLeftSideOfTheLastOpenAnnotation() {
        assertEquals(Optional.of("4*3"), OpenAnnotation.expression("Pens: 4 * 3 = <<4*3="));
        assertEquals(Optional.of("12-5"), OpenAnnotation.expression("<<4*3=12>>12 left <<12-5="));
        assertEquals(Optional.of("4*3"), OpenAnnotation.expression("<<<4*3="));
        assertEquals(Optional.of(""), OpenAnnotation.expression("<<="), "the calculator then refuses the empty expression");
    }

    @Test
    void nothingElseTriggers() {
        assertEquals(Optional.empty(), OpenAnnotation.expression("4 * 3 ="), "no annotation");
        assertEquals(Optional.empty(), OpenAnnotation.expression("<<4*3=12>>12 ="), "closed annotation");
        assertEquals(Optional.empty(), OpenAnnotation.expression("<<4*3=1"), "does not end in =");
        assertEquals(Optional.empty(), OpenAnnotation.expression("<<4*3=12="), "a second = in the same annotation");
        assertEquals(Optional.empty(), OpenAnnotation.expression("<<4>>3="), "a >> after the last <<");
    }
}
