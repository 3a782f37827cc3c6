import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// Models: the GGUF files of the models folder, with what their headers say; a broken file stays
// listed with the reason.
Item {
    id: page

    required property AppController app

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Models")
            subtitle: qsTr("Local language models in GGUF format")
            StatusChip {
                text: page.app.canSend ? qsTr("Model ready") : qsTr("No model loaded")
                tone: page.app.canSend ? "success" : "warning"
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: modelList
                objectName: "modelList"
                anchors.fill: parent
                visible: count > 0
                clip: true
                model: page.app.models
                spacing: Theme.spacingM
                topMargin: Theme.spacingXl
                bottomMargin: Theme.spacingXl
                ScrollBar.vertical: ScrollBar {}
                delegate: ModelRow {
                    width: Math.min(ListView.view.width - 2 * Theme.spacingXl, Theme.contentMaxWidth)
                    x: (ListView.view.width - width) / 2
                }
            }

            EmptyState {
                objectName: "modelsEmptyState"
                anchors.centerIn: parent
                width: Math.min(parent.width - 2 * Theme.spacingXl, 480)
                visible: modelList.count === 0
                iconName: "model"
                title: qsTr("No model loaded")
                message: qsTr("Put GGUF model files in the models folder; they are listed here "
                              + "with their architecture, size, quantization and context length.")
            }
        }
    }
}
