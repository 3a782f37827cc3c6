import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Atelier

// Settings: the language-model device and its numbers, the models folder, where Atelier keeps
// its data, and version information. Changes are saved at once and used at the next model load.
Item {
    id: page

    required property AppController app
    property SettingsForm form: null

    FolderDialog {
        id: folderDialog
        title: qsTr("Choose the models folder")
        onAccepted: page.form.setModelsFolderUrl(selectedFolder)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Settings")
            subtitle: qsTr("Language models and where your data lives")
        }

        ScrollView {
            id: scroll
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: availableWidth

            ColumnLayout {
                x: Math.max(Theme.spacingXl, (scroll.availableWidth - width) / 2)
                width: Math.min(scroll.availableWidth - 2 * Theme.spacingXl,
                                Theme.contentMaxWidth)
                spacing: Theme.spacingL

                Item {
                    implicitHeight: Theme.spacingS
                }

                SettingsSection {
                    objectName: "llmSettings"
                    Layout.fillWidth: true
                    visible: page.form !== null
                    title: qsTr("Language models")
                    description: qsTr("Where chat models run. Changes are saved at once and "
                                      + "take effect the next time a model is loaded.")

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacingS
                        Label {
                            Layout.fillWidth: true
                            text: qsTr("Device")
                            font.weight: Font.DemiBold
                            color: Theme.text
                        }
                        ComboBox {
                            objectName: "deviceCombo"
                            Layout.preferredWidth: 360
                            model: page.form?.devices ?? []
                            textRole: "label"
                            valueRole: "id"
                            currentIndex: page.form?.backendIndex ?? -1
                            displayText: currentIndex < 0 ? (page.form?.backend ?? "") : currentText
                            Accessible.name: qsTr("Device")
                            onActivated: page.form.backend = currentValue
                        }
                    }
                    ParamSpinBox {
                        objectName: "gpuLayersSpin"
                        Layout.fillWidth: true
                        enabled: page.form?.deviceSelected ?? false
                        label: qsTr("GPU layers")
                        hint: qsTr("Layers placed on the device; the rest run on the CPU.")
                        from: -1
                        to: 999
                        specialValueText: qsTr("all")
                        value: page.form?.gpuLayers ?? -1
                        onMoved: value => page.form.gpuLayers = value
                    }
                    ParamSpinBox {
                        objectName: "threadsSpin"
                        Layout.fillWidth: true
                        label: qsTr("CPU threads")
                        hint: qsTr("0 uses one thread per physical core.")
                        from: 0
                        to: 256
                        specialValueText: qsTr("auto")
                        value: page.form?.threads ?? 0
                        onMoved: value => page.form.threads = value
                    }
                    ParamSpinBox {
                        objectName: "contextLengthSpin"
                        Layout.fillWidth: true
                        label: qsTr("Context length")
                        hint: qsTr("Tokens a conversation keeps in view; 0 uses the model's, "
                                   + "at most 4096. More needs more memory.")
                        from: 0
                        to: 131072
                        stepSize: 512
                        specialValueText: qsTr("model's")
                        value: page.form?.contextLength ?? 0
                        onMoved: value => page.form.contextLength = value
                    }
                }

                SettingsSection {
                    objectName: "modelsSettings"
                    Layout.fillWidth: true
                    visible: page.form !== null
                    title: qsTr("Models")
                    description: qsTr("GGUF files in this folder are listed on the Models page; "
                                      + "models you add are linked or copied into it.")

                    ReadOnlyField {
                        objectName: "modelsFolderSetting"
                        Layout.fillWidth: true
                        label: qsTr("Models folder")
                        value: page.form?.modelsFolder ?? ""
                        actionText: qsTr("Change…")
                        onActionTriggered: folderDialog.open()
                    }
                    Button {
                        visible: (page.form?.modelsFolder ?? "") !== (page.form?.defaultModelsFolder ?? "")
                        flat: true
                        font.capitalization: Font.MixedCase
                        text: qsTr("Use the default folder (%1)").arg(page.form?.defaultModelsFolder ?? "")
                        onClicked: page.form.useDefaultModelsFolder()
                    }
                }

                SettingsSection {
                    Layout.fillWidth: true
                    title: qsTr("Storage")
                    description: qsTr("Conversations, jobs and settings are kept in one SQLite "
                                      + "database on this computer. Nothing is sent anywhere.")

                    ReadOnlyField {
                        objectName: "dataFolderField"
                        Layout.fillWidth: true
                        label: qsTr("Data folder")
                        value: page.app.dataFolder
                        actionText: qsTr("Open")
                        onActionTriggered: Qt.openUrlExternally(page.app.dataFolderUrl)
                    }
                    ReadOnlyField {
                        objectName: "databasePathField"
                        Layout.fillWidth: true
                        label: qsTr("Database")
                        value: page.app.databasePath
                    }
                }

                SettingsSection {
                    Layout.fillWidth: true
                    title: qsTr("About")

                    ReadOnlyField {
                        Layout.fillWidth: true
                        label: qsTr("Atelier version")
                        value: page.app.version
                    }
                    ReadOnlyField {
                        Layout.fillWidth: true
                        label: qsTr("Qt version")
                        value: page.app.qtVersion
                    }
                }
            }
        }
    }
}
