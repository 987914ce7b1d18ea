package org.layerwise.app.shell;

/**
 * Tells the user that something failed: what went wrong and what to do. Implementations must accept
 * calls from any thread and never block the caller.
 */
@FunctionalInterface
public interface ErrorReporter {
    void report(String title, String whatToDo, Throwable cause);

    /** The message chain of a failure, without repeats: "could not load x: file y: truncated". */
    static String describe(Throwable e) {
        if (e == null) return "";
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.CompletionException
                    || t instanceof java.util.concurrent.ExecutionException) continue;
            String m = t.getMessage();
            if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
            if (b.indexOf(m) >= 0) continue;
            if (b.length() > 0) b.append(":\n");
            b.append(m);
        }
        return b.toString();
    }

    /** The innermost cause that is not a wrapper added by futures. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
