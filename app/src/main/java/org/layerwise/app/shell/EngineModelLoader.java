package org.layerwise.app.shell;

import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.EncoderDecoderModel;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RecurrentModel;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Path;

/**
 * Loads a Hugging Face model folder with the engine's transformer (or a builder's recurrent model folder; an
 * encoder-decoder folder is refused with the reason), on the device and in the dtype the
 * command line chose. The engine checks the folder and the memory before it allocates anything, so a
 * refused or broken checkpoint leaves nothing loaded.
 */
public final class EngineModelLoader implements ModelLoader {
    private final LoadOptions options;

    public EngineModelLoader(LoadOptions options) {
        this.options = options;
    }

    @Override
    public LanguageModel load(Path folder, JobContext ctx) throws Exception {
        ctx.progress(Double.NaN, "checking " + folder.getFileName() + " and loading its weights");
        if (RecurrentModel.isRecurrentFolder(folder)) return RecurrentModel.load(folder, options);   // builder lstm/gru models
        if (EncoderDecoderModel.isEncoderDecoderFolder(folder))
            throw new IllegalArgumentException(folder.getFileName() + " is an encoder-decoder model (T5); the model bar holds "
                    + "language models that continue a prompt. Open a decoder-only (GPT-2, GPT-J, LLaMA) or recurrent model folder; "
                    + "an encoder-decoder opens in code with EncoderDecoderModel.load (see docs/guide/builder.md)");
        return TransformerModel.load(folder, options);
    }
}
