import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// One model of the library: what its header says, or why the file cannot be used.
Rectangle {
    id: row

    required property string name
    required property string path
    required property string architecture
    required property string quantization
    required property string fileSizeText
    required property var contextLength
    required property string parameterCountText
    required property bool usable
    required property string error

    implicitHeight: column.implicitHeight + 2 * Theme.spacingM
    radius: Theme.radiusL
    color: Theme.surface
    border.width: 1
    border.color: usable ? Theme.border : Theme.danger

    ColumnLayout {
        id: column
        x: Theme.spacingL
        y: Theme.spacingM
        width: parent.width - 2 * Theme.spacingL
        spacing: Theme.spacingXs

        Label {
            Layout.fillWidth: true
            text: row.name
            font.pixelSize: Theme.fontBody + 1
            font.bold: true
            color: Theme.text
            elide: Text.ElideRight
        }
        Label {
            objectName: "modelDetails"
            Layout.fillWidth: true
            visible: row.usable
            text: [row.architecture, row.parameterCountText, row.quantization, row.fileSizeText,
                   qsTr("context %1").arg(row.contextLength)]
                  .filter(part => String(part).length > 0).join("  ·  ")
            font.pixelSize: Theme.fontSmall
            color: Theme.textMuted
            wrapMode: Text.Wrap
        }
        Label {
            objectName: "modelError"
            Layout.fillWidth: true
            visible: !row.usable
            text: qsTr("Cannot be used: %1").arg(row.error)
            font.pixelSize: Theme.fontSmall
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            text: row.path
            font.pixelSize: Theme.fontSmall
            color: Theme.textFaint
            elide: Text.ElideMiddle
        }
    }
}
