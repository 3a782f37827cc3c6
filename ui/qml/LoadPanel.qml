import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// The chat model the LLM host holds: a progress bar while one loads (with its file name, stage
// and elapsed time), then which model runs on which backend, with Unload.
Rectangle {
    id: panel

    property LibraryController library: null

    readonly property bool loading: library?.loading ?? false
    readonly property string loadedName: library?.loadedName ?? ""

    visible: loading || loadedName.length > 0
    implicitHeight: column.implicitHeight + 2 * Theme.spacingM
    radius: Theme.radiusM
    color: Theme.surface
    border.width: 1
    border.color: loading ? Theme.accent : Theme.border

    ColumnLayout {
        id: column
        x: Theme.spacingL
        y: Theme.spacingM
        width: parent.width - 2 * Theme.spacingL
        spacing: Theme.spacingS

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            Label {
                objectName: "loadStatusText"
                Layout.fillWidth: true
                text: panel.loading
                      ? qsTr("Loading %1 — %2 s").arg(panel.library.loadingName)
                        .arg(panel.library.loadSeconds)
                      : qsTr("%1 is loaded on %2").arg(panel.loadedName)
                        .arg(panel.library?.loadedBackend ?? "")
                elide: Text.ElideMiddle
                font.weight: Font.DemiBold
                color: Theme.text
            }
            Button {
                objectName: "unloadButton"
                visible: !panel.loading
                flat: true
                font.capitalization: Font.MixedCase
                text: qsTr("Unload")
                onClicked: panel.library.unloadModel()
            }
        }
        ProgressBar {
            objectName: "loadProgressBar"
            Layout.fillWidth: true
            visible: panel.loading
            from: 0
            to: 1
            indeterminate: (panel.library?.loadProgress ?? -1) < 0
            value: Math.max(0, panel.library?.loadProgress ?? 0)
        }
        Label {
            Layout.fillWidth: true
            visible: panel.loading && (panel.library?.loadStage ?? "").length > 0
            text: panel.library?.loadStage ?? ""
            elide: Text.ElideRight
            font.pixelSize: Theme.fontSmall
            color: Theme.textMuted
        }
    }
}
