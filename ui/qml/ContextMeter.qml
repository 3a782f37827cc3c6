import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// Tokens the newest reply used of the model's context, as a number and a thin bar; says so
// when older turns had to be dropped to fit. Hidden until a reply has been made.
ColumnLayout {
    id: meter

    property int used: 0
    property int length: 0
    property int dropped: 0
    readonly property real fraction: length > 0 ? Math.min(1, used / length) : 0

    visible: length > 0
    spacing: 3

    Label {
        objectName: "contextMeterText"
        Layout.alignment: Qt.AlignRight
        text: qsTr("Context %1 / %2").arg(meter.used.toLocaleString(Qt.locale("C"), "f", 0))
                                     .arg(meter.length.toLocaleString(Qt.locale("C"), "f", 0))
              + (meter.dropped === 1 ? qsTr("  ·  1 older message dropped")
                 : meter.dropped > 1 ? qsTr("  ·  %1 older messages dropped").arg(meter.dropped)
                 : "")
        font.pixelSize: Theme.fontSmall
        color: meter.dropped > 0 ? Theme.warning : Theme.textMuted
    }
    Rectangle {
        Layout.alignment: Qt.AlignRight
        implicitWidth: 160
        implicitHeight: 4
        radius: 2
        color: Theme.divider
        Rectangle {
            width: parent.width * meter.fraction
            height: parent.height
            radius: 2
            color: meter.fraction > 0.9 ? Theme.warning : Theme.accent
        }
    }
}
