import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Atelier

// The main window: navigation rail, conversation sidebar, and the five pages. GGUF files dropped
// anywhere on it are added to the model library.
ApplicationWindow {
    id: window

    required property AppController app
    // The Models and Settings pages' actions, the sidebar's search and file transfers; null
    // where a host (a test) does not provide them: those parts then stay hidden.
    property LibraryController library: null
    property SettingsForm settingsForm: null
    property SearchResultsModel searchResults: null
    property ConversationTransfer transfer: null

    width: 1280
    height: 800
    minimumWidth: 960
    minimumHeight: 600
    title: app.currentConversationTitle.length > 0
           ? qsTr("%1 — Atelier").arg(app.currentConversationTitle) : qsTr("Atelier")
    color: Theme.window
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    Material.theme: Material.Light
    Material.accent: Theme.accent
    Material.primary: Theme.accent
    Material.background: Theme.surface
    Material.foreground: Theme.text

    Shortcut {
        objectName: "newConversationShortcut"
        sequences: ["Ctrl+N"]
        context: Qt.ApplicationShortcut
        onActivated: window.app.newConversation()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        NavigationRail {
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.railWidth
            currentPage: window.app.currentPage
            runningJobs: window.app.jobs.activeCount
            onPageRequested: page => window.app.currentPage = page
        }

        Sidebar {
            objectName: "sidebar"
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sidebarWidth
            app: window.app
            searchResults: window.searchResults
            transfer: window.transfer
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            Banner {
                Layout.fillWidth: true
                text: window.app.errorMessage
                onDismissed: window.app.dismissError()
            }

            StackLayout {
                objectName: "pages"
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: window.app.currentPage

                ChatPage {
                    objectName: "chatPage"
                    app: window.app
                }
                ImagesPage {
                    objectName: "imagesPage"
                }
                ModelsPage {
                    objectName: "modelsPage"
                    app: window.app
                    library: window.library
                    settingsForm: window.settingsForm
                }
                JobsPage {
                    objectName: "jobsPage"
                    jobs: window.app.jobs
                }
                SettingsPage {
                    objectName: "settingsPage"
                    app: window.app
                    form: window.settingsForm
                }
            }
        }
    }

    DropArea {
        id: dropArea
        objectName: "modelDropArea"
        anchors.fill: parent
        enabled: window.library !== null
        onEntered: drag => {
            if (drag.hasUrls)
                drag.accept(Qt.CopyAction);
        }
        onDropped: drop => {
            if (!drop.hasUrls || window.library === null)
                return;
            window.app.currentPage = AppController.Models;
            window.library.addDropped(drop.urls);
            drop.accept(Qt.CopyAction);
        }

        Rectangle {
            anchors.fill: parent
            anchors.margins: Theme.spacingS
            visible: dropArea.containsDrag
            radius: Theme.radiusL
            color: Qt.rgba(0.36, 0.36, 0.84, 0.08)
            border.width: 2
            border.color: Theme.accent

            Label {
                anchors.centerIn: parent
                text: qsTr("Drop GGUF model files to add them to the library")
                font.pixelSize: Theme.fontLarge
                font.weight: Font.DemiBold
                color: Theme.accentSoftText
            }
        }
    }
}
