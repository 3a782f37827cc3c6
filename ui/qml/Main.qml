import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Atelier

// The main window: navigation rail, conversation sidebar, and the five pages.
ApplicationWindow {
    id: window

    required property AppController app

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
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sidebarWidth
            app: window.app
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
                }
                JobsPage {
                    objectName: "jobsPage"
                    jobs: window.app.jobs
                }
                SettingsPage {
                    objectName: "settingsPage"
                    app: window.app
                }
            }
        }
    }
}
