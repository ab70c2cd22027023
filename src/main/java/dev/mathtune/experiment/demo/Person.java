package dev.mathtune.experiment.demo;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A person named in a word problem, with the pronouns that refer to them.
 *
 * @param name       the first name
 * @param subject    {@code "she"} or {@code "he"}
 * @param object     {@code "her"} or {@code "him"}
 * @param possessive {@code "her"} or {@code "his"}
 */
public record Person(String name, String subject, String object, String possessive) {
    private static final List<String> WOMEN = List.of("Ana", "Mia", "Lily", "Emma", "Zoe", "Ava", "Nora", "Ruth");
    private static final List<String> MEN = List.of("Ben", "Tom", "Sam", "Noah", "Leo", "Max", "Omar", "Jack");

    /** A person chosen uniformly from a fixed list of sixteen. */
    public static Person pick(RandomGenerator random) {
        boolean woman = random.nextBoolean();
        String name = ProblemTemplate.pick(random, woman ? WOMEN : MEN);
        return woman ? new Person(name, "she", "her", "her") : new Person(name, "he", "him", "his");
    }

    /** The subject pronoun, capitalised for the start of a sentence. */
    public String capitalSubject() {
        return Character.toUpperCase(subject.charAt(0)) + subject.substring(1);
    }

    /** The possessive pronoun, capitalised for the start of a sentence. */
    public String capitalPossessive() {
        return Character.toUpperCase(possessive.charAt(0)) + possessive.substring(1);
    }
}
