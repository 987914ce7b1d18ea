package org.layerwise.app.shell;

import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.LanguageModel;

import java.nio.file.Path;

/** Loads a Hugging Face model folder with the engine's transformer. */
public final class EngineModelLoader implements ModelLoader {
    @Override
    public LanguageModel load(Path folder, JobContext ctx) {
        throw new UnsupportedOperationException("this build has no transformer engine yet, so " + folder
                + " cannot be loaded");
    }
}
