import QtQuick
import QtQuick.Layouts
import Atelier

// Models: no LLM engine exists yet, so there is nothing to list or load; the page says so.
Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Models")
            subtitle: qsTr("Local language models in GGUF format")
            StatusChip {
                text: qsTr("No model loaded")
                tone: "warning"
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            EmptyState {
                objectName: "modelsEmptyState"
                anchors.centerIn: parent
                width: Math.min(parent.width - 2 * Theme.spacingXl, 480)
                iconName: "model"
                title: qsTr("No model loaded")
                message: qsTr("Adding, inspecting and loading GGUF models arrives with the LLM "
                              + "engine. Until then Atelier cannot write replies, so chat can "
                              + "keep conversations but not answer them.")
            }
        }
    }
}
