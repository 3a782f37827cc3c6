import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// A labelled slider that shows its number; `moved` carries the value the person chose.
ColumnLayout {
    id: control

    property string label
    property string hint
    property real value
    property real from: 0
    property real to: 1
    property real stepSize: 0.01
    property int decimals: 2
    signal moved(real value)

    spacing: 0

    RowLayout {
        Layout.fillWidth: true
        Label {
            Layout.fillWidth: true
            text: control.label
            font.weight: Font.DemiBold
            color: Theme.text
        }
        Label {
            objectName: "valueText"
            text: Number(control.value).toFixed(control.decimals)
            font.family: Theme.monoFamily
            color: Theme.accentSoftText
        }
    }
    Slider {
        id: slider
        objectName: "slider"
        Layout.fillWidth: true
        Layout.leftMargin: -6
        Layout.rightMargin: -6
        from: control.from
        to: control.to
        stepSize: control.stepSize
        snapMode: Slider.SnapAlways
        value: control.value
        Accessible.name: control.label
        onMoved: control.moved(value)
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
