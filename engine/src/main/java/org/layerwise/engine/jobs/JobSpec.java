package org.layerwise.engine.jobs;

import java.util.Map;

/**
 * What a job is, for the job area and the run store.
 *
 * @param plugin     the plugin id that owns it (e.g. "playground", "probe-edit")
 * @param kind       the action (e.g. "generate", "contrast-probe")
 * @param title      a human title for the job area
 * @param parameters hyper-parameters, stored as JSON with the run
 * @param modelRef   the model it runs on (a folder path or name), or null
 * @param recorded   whether a run is written to the run store
 */
public record JobSpec(String plugin, String kind, String title, Map<String, Object> parameters, String modelRef,
                      boolean recorded) {
    public JobSpec {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public static JobSpec recorded(String plugin, String kind, String title, Map<String, Object> parameters,
                                   String modelRef) {
        return new JobSpec(plugin, kind, title, parameters, modelRef, true);
    }

    public static JobSpec transientJob(String plugin, String kind, String title) {
        return new JobSpec(plugin, kind, title, Map.of(), null, false);
    }
}
