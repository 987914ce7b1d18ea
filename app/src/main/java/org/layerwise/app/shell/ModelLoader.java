package org.layerwise.app.shell;

import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.LanguageModel;

import java.nio.file.Path;

/** Loads a Hugging Face model folder inside a job (reporting progress, honouring cancel). */
@FunctionalInterface
public interface ModelLoader {
    LanguageModel load(Path folder, JobContext ctx) throws Exception;
}
