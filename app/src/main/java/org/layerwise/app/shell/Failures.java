package org.layerwise.app.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How failures read in dialogs, cards and the job area. */
public final class Failures {
    private Failures() {}

    /** The message chain of a failure, without repeats: "could not load x:\nfile y: truncated". */
    public static String describe(Throwable e) {
        if (e == null) return "";
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CompletionException || t instanceof ExecutionException) continue;
            String m = t.getMessage();
            if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
            if (b.indexOf(m) >= 0) continue;
            if (b.length() > 0) b.append(":\n");
            b.append(m);
        }
        return b.toString();
    }

    /** The failure inside the wrappers futures add. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    public static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
