import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// One job: title, kind and lane, state, a progress bar while it is active, elapsed time and a
// cancel button.
Rectangle {
    id: row

    required property var jobId
    required property string title
    required property string kind
    required property string lane
    required property string state
    required property real progress
    required property string message
    required property string error
    required property string elapsedText
    required property bool canCancel

    signal cancelRequested

    readonly property bool active: state === "queued" || state === "running"

    implicitHeight: column.implicitHeight + 2 * Theme.spacingL
    radius: Theme.radiusM
    color: Theme.surface
    border.width: 1
    border.color: Theme.border

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingS

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 2
                Label {
                    Layout.fillWidth: true
                    text: row.title.length > 0 ? row.title : row.kind
                    elide: Text.ElideRight
                    font.weight: Font.DemiBold
                    color: Theme.text
                }
                Label {
                    Layout.fillWidth: true
                    text: row.kind + "  ·  " + qsTr("lane %1").arg(row.lane)
                          + (row.elapsedText.length > 0 ? "  ·  " + row.elapsedText : "")
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textMuted
                }
            }
            StatusChip {
                text: row.state
                tone: row.state === "done" ? "success"
                    : row.state === "failed" ? "danger"
                    : row.state === "running" ? "accent"
                    : row.state === "interrupted" ? "warning" : "neutral"
            }
            Button {
                font.capitalization: Font.MixedCase
                objectName: "cancelJobButton"
                visible: row.canCancel
                text: qsTr("Cancel")
                flat: true
                onClicked: row.cancelRequested()
            }
        }

        ProgressBar {
            Layout.fillWidth: true
            visible: row.active
            from: 0
            to: 1
            value: Math.max(0, row.progress)
            indeterminate: row.state === "running" && row.progress < 0
        }

        Label {
            Layout.fillWidth: true
            visible: text.length > 0
            text: row.error.length > 0 ? row.error : row.message
            wrapMode: Text.WordWrap
            font.pixelSize: Theme.fontSmall
            color: row.error.length > 0 ? Theme.danger : Theme.textMuted
        }
    }
}
