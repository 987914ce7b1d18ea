package org.layerwise.sdk;

import javafx.beans.property.ObjectProperty;
import javafx.collections.ObservableList;
import org.layerwise.engine.model.LanguageModel;

/** The models in the model bar (FX-thread state). Loading happens in a job; the result is added here. */
public interface LoadedModels {
    ObservableList<LanguageModel> all();

    /** The model actions run on; null when none is loaded. */
    ObjectProperty<LanguageModel> selected();

    /** Loads a Hugging Face model folder in a job (progress in the job area) and selects it. */
    void load(java.nio.file.Path folder);

    /** Closes and removes a model. */
    void unload(LanguageModel model);
}
