package org.layerwise.tests.gui;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.layout.VBox;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.WorkbenchPlugin;

import java.util.List;
import java.util.Map;

/** A workspace with one button that starts a recorded job which reports progress until it is cancelled. */
final class WaitingJobPlugin implements WorkbenchPlugin {
    static final String ID = "e2e-waiter";
    static final String JOB_TITLE = "Wait until cancelled";

    @Override public String id() { return ID; }
    @Override public String title() { return "Waiter"; }
    @Override public int order() { return 50; }

    @Override
    public Node createWorkspace(WorkbenchContext context) {
        ParameterSet.Parameter<Integer> steps = new ParameterSet.Parameter<>("Steps", "Run", "how long", Integer.class, 7);
        context.showParameters(new ParameterSet() {
            @Override public String title() { return "Waiter settings"; }
            @Override public List<Parameter<?>> parameters() { return List.of(steps); }
        });
        Button start = new Button("Start waiting job");
        start.setId("start-waiting-job");
        start.setOnAction(e -> context.jobs().submit(
                JobSpec.recorded(ID, "wait", JOB_TITLE, Map.of("steps", steps.value()), null),
                ctx -> {
                    for (long step = 0; ; step++) {
                        ctx.checkCancelled();
                        ctx.progress(Double.NaN, "step " + step);
                        ctx.metric("step_time_ms", step, 5);
                        Thread.sleep(5);
                    }
                }));
        return new VBox(start);
    }
}
