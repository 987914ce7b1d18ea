package org.layerwise.promptopt.method;

import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.llm.HttpBackend;
import org.layerwise.engine.llm.LocalBackend;
import org.layerwise.engine.llm.TextBackend;
import org.layerwise.engine.model.InsufficientMemoryException;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a role's model lives: an OpenAI-compatible URL (model name and key from the arguments or the environment:
 * LAYERWISE_LLM_MODEL, LAYERWISE_LLM_API_KEY or OPENAI_API_KEY), a model folder to load, or a model already loaded
 * in the workbench. Only what the string names is recorded (never the key).
 */
public record BackendChoice(String spec, String modelName, TransformerModel loaded, int retries, int timeoutSeconds) {
    public static BackendChoice of(String spec, String modelName) { return new BackendChoice(spec, modelName, null, -1, 0); }

    public static BackendChoice loaded(TransformerModel model) {
        return new BackendChoice(model.directory() == null ? model.name() : model.directory().toString(), null, model, -1, 0);
    }

    /** For a URL: retries after a failure (-1 = the default 4) and seconds to wait for an answer (0 = default 120). */
    public BackendChoice withHttp(int retries, int timeoutSeconds) {
        return new BackendChoice(spec, modelName, loaded, retries, timeoutSeconds);
    }

    public boolean isUrl() { return spec != null && (spec.startsWith("http://") || spec.startsWith("https://")); }

    /** What the run records: the URL and model name, or the folder. */
    public String describe() { return isUrl() ? spec + (modelName == null ? "" : " model=" + modelName) : spec; }

    /** Opens the backend; a folder is loaded (the caller closes the returned model, if any). */
    TextBackend open(Map<String, String> env, TransformerModel[] loadedOut) throws CheckpointException, InsufficientMemoryException {
        if (loaded != null) return new LocalBackend(loaded);
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("No backend given: pass a URL (http://…/v1) or a model folder");
        if (isUrl()) {
            HttpBackend.Settings s = HttpBackend.Settings.fromEnvironment(env, spec, modelName);
            if (retries >= 0) s = s.withRetries(retries, s.initialBackoff());
            if (timeoutSeconds > 0) s = s.withTimeouts(s.connectTimeout(), java.time.Duration.ofSeconds(timeoutSeconds));
            return new HttpBackend(s);
        }
        Path dir = Path.of(spec);
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException(spec + " is neither an http(s):// URL nor a model folder");
        TransformerModel m = TransformerModel.load(dir, LoadOptions.defaults());
        loadedOut[0] = m;
        return new LocalBackend(m);
    }
}
