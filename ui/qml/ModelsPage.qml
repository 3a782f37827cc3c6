import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Atelier

// Models: the GGUF files of the models folder, with what their headers say and whether they fit
// the selected device (an estimate); a broken file stays listed with the reason. Add models with
// a file dialog or by dropping them on the window; load, unload and remove them here.
Item {
    id: page

    required property AppController app
    property LibraryController library: null
    property SettingsForm settingsForm: null

    readonly property bool hasLibrary: library !== null

    onVisibleChanged: {
        if (visible && hasLibrary)
            library.refreshFit();
    }

    FileDialog {
        id: addDialog
        objectName: "addModelDialog"
        title: qsTr("Add a GGUF model")
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: page.library.addModel(selectedFile)
    }

    FolderDialog {
        id: folderDialog
        objectName: "modelsFolderDialog"
        title: qsTr("Choose the models folder")
        currentFolder: page.hasLibrary ? page.library.folderUrl : ""
        onAccepted: page.settingsForm.setModelsFolderUrl(selectedFolder)
    }

    ConfirmDialog {
        id: removeDialog
        property string path
        property bool deleteFile
        title: deleteFile ? qsTr("Delete model file?") : qsTr("Remove model?")
        confirmText: deleteFile ? qsTr("Delete") : qsTr("Remove")
        message: deleteFile
                 ? qsTr("“%1” will be deleted from the models folder. This cannot be undone.")
                   .arg(subject)
                 : qsTr("“%1” will no longer be listed; the file itself stays where it is.")
                   .arg(subject)
        onAccepted: page.library.removeModel(conversationId, deleteFile)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Models")
            subtitle: qsTr("Local language models in GGUF format")
            StatusChip {
                objectName: "loadedModelChip"
                text: page.library?.loading ? qsTr("Loading…")
                    : page.library?.loadedName ? qsTr("Loaded: %1").arg(page.library.loadedName)
                    : page.app.canSend ? qsTr("Model ready") : qsTr("No model loaded")
                tone: page.library?.loading ? "accent"
                    : page.library?.loadedName || page.app.canSend ? "success" : "warning"
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.maximumWidth: Theme.contentMaxWidth
            Layout.alignment: Qt.AlignHCenter
            Layout.margins: Theme.spacingXl
            Layout.bottomMargin: 0
            visible: page.hasLibrary
            spacing: Theme.spacingM

            ReadOnlyField {
                objectName: "modelsFolderField"
                Layout.fillWidth: true
                label: qsTr("Models folder")
                value: page.library?.folder ?? ""
                actionText: page.settingsForm !== null ? qsTr("Change…") : ""
                onActionTriggered: folderDialog.open()
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Button {
                    objectName: "addModelButton"
                    font.capitalization: Font.MixedCase
                    text: qsTr("Add model…")
                    icon.source: "qrc:/icons/plus.svg"
                    onClicked: addDialog.open()
                }
                Button {
                    objectName: "rescanButton"
                    flat: true
                    font.capitalization: Font.MixedCase
                    text: qsTr("Rescan folder")
                    onClicked: page.library.rescan()
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("or drop .gguf files on this window")
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textFaint
                }
            }

            Label {
                objectName: "fitBasis"
                Layout.fillWidth: true
                text: qsTr("“Fits” is an estimate (file size + KV cache at the context length "
                           + "in use) against %1.").arg(page.library?.fitBasis ?? "")
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.fontSmall
                color: Theme.textMuted
            }

            LoadPanel {
                objectName: "loadPanel"
                Layout.fillWidth: true
                library: page.library
            }

            Notice {
                objectName: "fallbackNotice"
                Layout.fillWidth: true
                visible: (page.library?.fallbackReason ?? "").length > 0
                text: page.library?.fallbackReason ?? "" // "vulkan could not be used (...); running on the CPU instead"
            }

            Notice {
                objectName: "libraryNotice"
                Layout.fillWidth: true
                visible: (page.library?.notice ?? "").length > 0
                text: page.library?.notice ?? ""
                actionText: qsTr("Dismiss")
                onActionTriggered: page.library.dismissNotice()
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
                    actionsEnabled: page.hasLibrary
                    busy: page.library?.loading ?? false
                    isDefault: (page.library?.defaultModel ?? "") === path
                    onMakeDefaultRequested: page.library.makeDefault(path)
                    onLoadRequested: page.library.loadModel(path)
                    onUnloadRequested: page.library.unloadModel()
                    onRemoveRequested: {
                        removeDialog.deleteFile = page.library.isInFolder(path);
                        removeDialog.ask(modelId, name);
                    }
                }
            }

            EmptyState {
                objectName: "modelsEmptyState"
                anchors.centerIn: parent
                width: Math.min(parent.width - 2 * Theme.spacingXl, 480)
                visible: modelList.count === 0
                iconName: "model"
                title: qsTr("No model loaded")
                message: page.hasLibrary
                         ? qsTr("Add a GGUF model with “Add model…”, drop .gguf files on this "
                                + "window, or put them in the models folder.")
                         : qsTr("Put GGUF model files in the models folder; they are listed here "
                                + "with their architecture, size, quantization and context length.")
            }
        }
    }
}
