import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// The open conversation's model and system prompt, saved with it and used from its next reply.
ColumnLayout {
    id: setup

    required property AppController app
    // Bumped whenever the library's list changes, so that the model list below is rebuilt.
    property int revision: 0

    spacing: Theme.spacingS

    Connections {
        target: setup.app.models
        function onModelReset() { setup.revision++; }
        function onRowsInserted() { setup.revision++; }
        function onRowsRemoved() { setup.revision++; }
        function onDataChanged() { setup.revision++; }
    }

    Label {
        text: qsTr("Model")
        font.weight: Font.DemiBold
        color: Theme.text
    }
    ComboBox {
        id: modelBox
        objectName: "conversationModelBox"
        Layout.fillWidth: true
        // Row 0 is "the default model"; then every usable model of the library.
        model: {
            void setup.revision;
            const rows = [{ "text": setup.defaultLabel(), "path": "" }];
            const list = setup.app.models;
            for (let i = 0; i < list.rowCount(); ++i) {
                const index = list.index(i, 0);
                if (!list.data(index, ModelListModel.UsableRole)) continue;
                rows.push({ "text": list.data(index, ModelListModel.NameRole),
                            "path": list.data(index, ModelListModel.PathRole) });
            }
            return rows;
        }
        textRole: "text"
        valueRole: "path"
        Accessible.name: qsTr("Model of this conversation")
        Component.onCompleted: currentIndex = indexOfValue(setup.app.conversationModel)
        onActivated: setup.app.setConversationModel(currentValue)
        Connections {
            target: setup.app
            function onConversationSetupChanged() {
                modelBox.currentIndex = modelBox.indexOfValue(setup.app.conversationModel);
            }
        }
        onModelChanged: currentIndex = indexOfValue(setup.app.conversationModel)
    }

    Label {
        Layout.topMargin: Theme.spacingS
        text: qsTr("System prompt")
        font.weight: Font.DemiBold
        color: Theme.text
    }
    ScrollView {
        Layout.fillWidth: true
        Layout.preferredHeight: 90
        TextArea {
            id: promptField
            objectName: "systemPromptField"
            wrapMode: TextEdit.Wrap
            placeholderText: qsTr("Optional: how the model should behave")
            text: setup.app.systemPrompt
            Accessible.name: qsTr("System prompt of this conversation")
            onEditingFinished: setup.app.setSystemPrompt(text)
        }
    }

    function defaultLabel() {
        const path = setup.app.defaultModelPath;
        if (path.length === 0) return qsTr("Default model (none)");
        return qsTr("Default model (%1)").arg(path.substring(path.lastIndexOf("/") + 1));
    }
}
