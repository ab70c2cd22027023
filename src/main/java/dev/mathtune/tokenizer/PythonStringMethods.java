package dev.mathtune.tokenizer;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Gives Jinjava the Python {@code str} methods that Hugging Face chat templates call ({@code startswith},
 * {@code endswith}, {@code strip}, {@code lstrip}, {@code rstrip}, {@code split}, {@code upper}, {@code lower},
 * {@code capitalize}), with Python's semantics (e.g. {@code split} takes a literal separator, not a regex).
 * Calls it does not know are left to the next resolver.
 */
final class PythonStringMethods extends ELResolver {
    private static final String WHITESPACE = " \t\n\r\f\u000b";

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
        if (!(base instanceof String s) || method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(s, method.toString(), args);
        if (result != null) {
            context.setPropertyResolved(true);
        }
        return result;
    }

    private static Object call(String s, String method, Object[] args) {
        return switch (method) {
            case "startswith" -> anyMatch(args, s::startsWith);
            case "endswith" -> anyMatch(args, s::endsWith);
            case "strip" -> rstrip(lstrip(s, chars(args)), chars(args));
            case "lstrip" -> lstrip(s, chars(args));
            case "rstrip" -> rstrip(s, chars(args));
            case "split" -> split(s, args.length > 0 && args[0] != null ? args[0].toString() : null);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            default -> null;
        };
    }

    /** Python's {@code startswith} accepts a string or a tuple (list) of strings. */
    private static Boolean anyMatch(Object[] args, java.util.function.Predicate<String> test) {
        if (args.length == 0 || args[0] == null) {
            return Boolean.FALSE;
        }
        if (args[0] instanceof Iterable<?> options) {
            for (Object o : options) {
                if (test.test(String.valueOf(o))) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
        return test.test(args[0].toString());
    }

    private static String chars(Object[] args) {
        return args.length > 0 && args[0] != null ? args[0].toString() : WHITESPACE;
    }

    private static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return s.substring(i);
    }

    private static String rstrip(String s, String chars) {
        int i = s.length();
        while (i > 0 && chars.indexOf(s.charAt(i - 1)) >= 0) {
            i--;
        }
        return s.substring(0, i);
    }

    /** Python's split: by a literal separator (keeping empty parts), or by whitespace runs when none is given. */
    private static List<String> split(String s, String separator) {
        if (separator == null) {
            String trimmed = s.strip();
            return trimmed.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(trimmed.split("\\s+")));
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(separator); at >= 0; at = s.indexOf(separator, from)) {
            parts.add(s.substring(from, at));
            from = at + separator.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // read-only: never resolves a property
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
