import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// One model of the library: what its header says and whether it fits the selected device (an
// estimate), or why the file cannot be used; load, unload and remove.
Rectangle {
    id: row

    required property var modelId
    required property string name
    required property string path
    required property string architecture
    required property string quantization
    required property string fileSizeText
    required property var contextLength
    required property string parameterCountText
    required property bool usable
    required property string error
    required property string fit
    required property string fitText
    required property bool loaded
    property bool actionsEnabled: false
    property bool busy: false // a model is loading
    property bool isDefault: false // the model conversations use when they chose none

    signal loadRequested
    signal unloadRequested
    signal removeRequested
    signal makeDefaultRequested

    implicitHeight: layout.implicitHeight + 2 * Theme.spacingM
    radius: Theme.radiusL
    color: Theme.surface
    border.width: row.loaded ? 2 : 1
    border.color: !usable ? Theme.danger : row.loaded ? Theme.success : Theme.border

    RowLayout {
        id: layout
        x: Theme.spacingL
        y: Theme.spacingM
        width: parent.width - Theme.spacingL - Theme.spacingS
        spacing: Theme.spacingM

        ColumnLayout {
            Layout.fillWidth: true
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
                objectName: "modelFit"
                Layout.fillWidth: true
                visible: row.usable && row.fitText.length > 0
                text: row.fitText
                font.pixelSize: Theme.fontSmall
                color: row.fit === "fits" ? Theme.success
                     : row.fit === "tooBig" ? Theme.danger : Theme.warning
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

        StatusChip {
            objectName: "defaultModelChip"
            visible: row.isDefault
            text: qsTr("Default")
            tone: "accent"
        }
        Button {
            objectName: "makeDefaultButton"
            visible: row.actionsEnabled && row.usable && !row.isDefault
            flat: true
            font.capitalization: Font.MixedCase
            text: qsTr("Make default")
            Accessible.name: qsTr("Use %1 when a conversation chose no model").arg(row.name)
            onClicked: row.makeDefaultRequested()
        }
        StatusChip {
            visible: row.loaded
            text: qsTr("Loaded")
            tone: "success"
        }
        Button {
            objectName: "loadModelButton"
            visible: row.actionsEnabled && row.usable && !row.loaded
            enabled: !row.busy
            flat: true
            font.capitalization: Font.MixedCase
            text: qsTr("Load")
            onClicked: row.loadRequested()
        }
        Button {
            visible: row.actionsEnabled && row.loaded
            flat: true
            font.capitalization: Font.MixedCase
            text: qsTr("Unload")
            onClicked: row.unloadRequested()
        }
        IconButton {
            objectName: "removeModelButton"
            visible: row.actionsEnabled
            iconName: "trash"
            toolTip: qsTr("Remove this model")
            onClicked: row.removeRequested()
        }
    }
}
