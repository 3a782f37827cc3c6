import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// Settings: where Atelier keeps its data, and version information.
Item {
    id: page

    required property AppController app

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Settings")
            subtitle: qsTr("Where your data lives")
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
