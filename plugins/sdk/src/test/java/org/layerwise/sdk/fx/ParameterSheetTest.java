package org.layerwise.sdk.fx;

import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.ParameterSet.Parameter;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class ParameterSheetTest {
    enum Norm { L1, L2 }

    private final Parameter<Integer> steps = new Parameter<>("Steps", "Optimiser", "Gradient steps", Integer.class, 10);
    private final Parameter<Double> rate = new Parameter<>("Learning rate", "Optimiser", "Step size", Double.class, 0.1);
    private final Parameter<Boolean> clip = new Parameter<>("Clip", "Edit", "Clip the update norm", Boolean.class, false);
    private final Parameter<String> prompt = new Parameter<>("Prompt", "Edit", "Text to edit", String.class, "Paris");
    private final Parameter<Norm> norm = new Parameter<>("Norm", "Edit", "Penalty norm", Norm.class, Norm.L2);
    private final Parameter<String> layer = new Parameter<>("Layer", "Where", "Registry choice", String.class, "mlp",
            List.of("mlp", "attention"));
    private final List<Object> changes = new CopyOnWriteArrayList<>();
    private final List<String> edited = new CopyOnWriteArrayList<>();
    private ParameterSheet sheet;

    @Start
    void start(Stage stage) {
        ParameterSet set = new ParameterSet() {
            @Override
            public String title() { return "Rank-one edit"; }

            @Override
            public List<Parameter<?>> parameters() { return List.of(steps, rate, clip, prompt, norm, layer); }
        };
        layer.onChange(changes::add);
        sheet = new ParameterSheet(set);
        sheet.setOnEdited(p -> edited.add(p.name()));
        stage.setScene(new Scene(sheet, 360, 400));
        stage.show();
    }

    @Test
    void showsGroupedItemsWithDescriptions(FxRobot robot) {
        List<PropertySheet.Item> items = sheet.items();
        assertThat(sheet.categories()).containsExactly("Optimiser", "Edit", "Where");
        assertThat(sheet.propertySheet("Edit").getItems()).extracting(PropertySheet.Item::getName)
                .containsExactly("Clip", "Prompt", "Norm");
        assertThat(items).extracting(PropertySheet.Item::getName)
                .containsExactly("Steps", "Learning rate", "Clip", "Prompt", "Norm", "Layer");
        assertThat(items).extracting(PropertySheet.Item::getCategory)
                .containsExactly("Optimiser", "Optimiser", "Edit", "Edit", "Edit", "Where");
        assertThat(items.get(1).getDescription()).isEqualTo("Step size");
        assertThat(robot.lookup("Rank-one edit").tryQueryAs(Label.class)).isPresent();
        Label name = robot.lookup("Learning rate").queryAs(Label.class);
        assertThat(name.getTooltip()).isNotNull();
        assertThat(name.getTooltip().getText()).isEqualTo("Step size");
    }

    @Test
    void clickingTheCheckBoxWritesBack(FxRobot robot) {
        CheckBox box = robot.lookup(".check-box").queryAs(CheckBox.class);
        robot.clickOn(box);
        assertThat(clip.value()).isTrue();
        assertThat(edited).containsExactly("Clip");
    }

    @Test
    void editorsWriteTypedValuesBack(FxRobot robot) {
        List<PropertySheet.Item> items = sheet.items();
        robot.interact(() -> {
            editorFor(items.get(0)).setValue(42);
            editorFor(items.get(1)).setValue(0.003);
            editorFor(items.get(4)).setValue(Norm.L1);
            items.get(3).setValue("Rome");
        });
        assertThat(steps.value()).isEqualTo(42).isInstanceOf(Integer.class);
        assertThat(rate.value()).isEqualTo(0.003);
        assertThat(norm.value()).isEqualTo(Norm.L1);
        assertThat(prompt.value()).isEqualTo("Rome");
        assertThat(edited).containsExactly("Steps", "Learning rate", "Norm", "Prompt");
    }

    @Test
    void wrongTypesAreConvertedOrIgnored(FxRobot robot) {
        PropertySheet.Item stepsItem = sheet.items().get(0);
        robot.interact(() -> {
            stepsItem.setValue(7.0);      // a numeric editor handing back a Double
            stepsItem.setValue("oops");   // a half-typed value keeps the last good one
            stepsItem.setValue(null);
        });
        assertThat(steps.value()).isEqualTo(7);
    }

    @Test
    void refreshShowsOutsideChanges(FxRobot robot) {
        steps.set(99);
        robot.interact(sheet::refresh);
        assertThat(sheet.items().get(0).getObservableValue().orElseThrow().getValue())
                .isEqualTo(99);
    }

    @Test
    void aStringWithChoicesGetsAChoiceEditorAndEditsReachTheListeners(FxRobot robot) {
        PropertySheet.Item item = sheet.items().get(5);
        PropertyEditor<Object> editor = editorFor(item);
        assertThat(editor.getEditor()).isInstanceOf(javafx.scene.control.ComboBox.class);
        List<Object> shown = List.copyOf(((javafx.scene.control.ComboBox<?>) editor.getEditor()).getItems());
        assertThat(shown).containsExactly("mlp", "attention");
        robot.interact(() -> editor.setValue("attention"));
        assertThat(layer.value()).isEqualTo("attention");
        assertThat(changes).containsExactly("attention");
        assertThat(edited).containsExactly("Layer");
    }

    @SuppressWarnings("unchecked")
    private <T> PropertyEditor<T> editorFor(PropertySheet.Item item) {
        return (PropertyEditor<T>) sheet.propertySheet(item.getCategory()).getPropertyEditorFactory().call(item);
    }
}
