import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// A labelled whole-number field; `moved` carries the value the person chose.
RowLayout {
    id: control

    property string label
    property string hint
    property int value
    property int from: 0
    property int to: 100
    property int stepSize: 1
    property string specialValueText // shown instead of `from`, e.g. "random" for a seed of -1
    signal moved(int value)

    spacing: Theme.spacingS

    ColumnLayout {
        Layout.fillWidth: true
        spacing: 0
        Label {
            Layout.fillWidth: true
            text: control.label
            font.weight: Font.DemiBold
            color: Theme.text
        }
        Label {
            Layout.fillWidth: true
            visible: control.hint.length > 0
            text: control.hint
            wrapMode: Text.WordWrap
            font.pixelSize: Theme.fontSmall
            color: Theme.textFaint
        }
    }
    SpinBox {
        id: spin
        objectName: "spinBox"
        Layout.preferredWidth: 132
        from: control.from
        to: control.to
        stepSize: control.stepSize
        value: control.value
        editable: true
        Accessible.name: control.label
        textFromValue: (v, locale) => v === control.from && control.specialValueText.length > 0
                                      ? control.specialValueText : String(v)
        valueFromText: (text, locale) => {
            const v = parseInt(text, 10);
            return isNaN(v) ? control.from : v;
        }
        // Digits, or a word such as the special value's text.
        validator: RegularExpressionValidator {
            regularExpression: /-?\d{0,10}|[^0-9-]*/
        }
        onValueModified: control.moved(value)
    }
}
