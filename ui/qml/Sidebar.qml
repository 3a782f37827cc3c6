import QtCore
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Atelier

// The conversation list: new, search, open; rename, delete and export from each row's menu;
// import and preference-data export from the header's menu. While a search is typed its results
// (conversation titles and matching messages) replace the list.
Rectangle {
    id: sidebar

    required property AppController app
    property SearchResultsModel searchResults: null
    property ConversationTransfer transfer: null

    readonly property bool searching: searchResults?.active ?? false
    readonly property bool canTransfer: transfer?.available ?? false

    color: Theme.sidebar

    // Asks where to save; format: "markdown" or "json" (a conversation), "preferences".
    function saveAs(conversationId, title, format) {
        const preferences = format === "preferences";
        saveDialog.conversationId = conversationId;
        saveDialog.format = format;
        saveDialog.title = preferences ? qsTr("Export preference data (JSONL)")
                         : format === "markdown" ? qsTr("Export as Markdown")
                         : qsTr("Export as JSON");
        saveDialog.nameFilters = preferences ? [qsTr("JSON Lines (*.jsonl)")]
                               : format === "markdown" ? [qsTr("Markdown (*.md)")]
                               : [qsTr("JSON (*.json)")];
        const name = preferences ? "preferences.jsonl"
                                 : sidebar.transfer.suggestedFileName(title, format);
        saveDialog.selectedFile = saveDialog.currentFolder + "/" + name;
        saveDialog.open();
    }

    function openHit(conversationId, messageId) {
        if (messageId > 0)
            sidebar.app.openConversationAt(conversationId, messageId);
        else
            sidebar.app.selectConversation(conversationId);
    }

    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.border
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.rightMargin: 1
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacingL
            Layout.bottomMargin: Theme.spacingS
            spacing: Theme.spacingXs

            Label {
                Layout.fillWidth: true
                text: qsTr("Conversations")
                font.pixelSize: Theme.fontLarge
                font.weight: Font.DemiBold
                color: Theme.text
            }
            IconButton {
                objectName: "sidebarMenuButton"
                visible: sidebar.canTransfer
                iconName: "more"
                toolTip: qsTr("Import and export")
                onClicked: sidebarMenu.popup(this, 0, height)
            }
            IconButton {
                objectName: "newConversationButton"
                iconName: "plus"
                toolTip: qsTr("New conversation (Ctrl+N)")
                filled: true
                onClicked: sidebar.app.newConversation()
            }
        }

        SearchField {
            objectName: "conversationSearch"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingL
            Layout.rightMargin: Theme.spacingL
            Layout.bottomMargin: Theme.spacingS
            placeholderText: sidebar.searchResults !== null ? qsTr("Search conversations")
                                                            : qsTr("Filter by title")
            text: sidebar.searchResults?.query ?? sidebar.app.titleFilter
            onTextEdited: {
                if (sidebar.searchResults !== null)
                    sidebar.searchResults.query = text;
                else
                    sidebar.app.titleFilter = text;
            }
            Keys.onEscapePressed: {
                if (sidebar.searchResults !== null)
                    sidebar.searchResults.query = "";
            }
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !sidebar.searching
            clip: true
            model: sidebar.app.conversations
            spacing: 2
            topMargin: Theme.spacingXs
            bottomMargin: Theme.spacingS
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}

            delegate: ConversationRow {
                width: ListView.view.width
                current: conversationId === sidebar.app.currentConversationId
                canExport: sidebar.canTransfer
                onOpenRequested: sidebar.app.selectConversation(conversationId)
                onRenameRequested: renameDialog.ask(conversationId, title)
                onDeleteRequested: deleteDialog.ask(conversationId, title)
                onExportRequested: format => sidebar.saveAs(conversationId, title, format)
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXl
                visible: list.count === 0 && sidebar.app.started
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                text: sidebar.app.titleFilter.length > 0
                      ? qsTr("No conversation title contains “%1”.").arg(sidebar.app.titleFilter)
                      : qsTr("No conversations yet.\nPress Ctrl+N to start one.")
            }
        }

        ListView {
            id: hits
            objectName: "searchResultList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: sidebar.searching
            clip: true
            model: sidebar.searchResults
            spacing: 2
            topMargin: Theme.spacingXs
            bottomMargin: Theme.spacingS
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}

            delegate: SearchHitRow {
                width: ListView.view.width
                onOpenRequested: sidebar.openHit(conversationId, messageId)
            }

            Label {
                objectName: "searchEmptyText"
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXl
                visible: hits.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                text: sidebar.searchResults?.searching ?? false
                      ? qsTr("Searching…")
                      : qsTr("Nothing matches “%1”.").arg(sidebar.searchResults?.query ?? "")
            }
        }
    }

    Menu {
        id: sidebarMenu
        MenuItem {
            objectName: "importConversationItem"
            text: qsTr("Import conversation…")
            onTriggered: importDialog.open()
        }
        MenuItem {
            objectName: "exportPreferencesItem"
            text: qsTr("Export preference data…")
            onTriggered: sidebar.saveAs(0, "", "preferences")
        }
    }

    FileDialog {
        id: saveDialog
        objectName: "saveDialog"
        property var conversationId: 0
        property string format
        fileMode: FileDialog.SaveFile
        currentFolder: StandardPaths.writableLocation(StandardPaths.DocumentsLocation)
        onAccepted: {
            if (format === "preferences")
                sidebar.transfer.exportPreferences(selectedFile);
            else
                sidebar.transfer.exportConversation(conversationId, format, selectedFile);
        }
    }

    FileDialog {
        id: importDialog
        objectName: "importDialog"
        title: qsTr("Import a conversation (JSON)")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("JSON (*.json)"), qsTr("All files (*)")]
        onAccepted: sidebar.transfer.importConversation(selectedFile)
    }

    Connections {
        target: sidebar.transfer
        function onStatusChanged() {
            sidebar.app.reportError(sidebar.transfer.status);
        }
        function onImported(conversationId) {
            sidebar.app.selectConversation(conversationId);
        }
    }

    RenameDialog {
        id: renameDialog
        onAccepted: sidebar.app.renameConversation(conversationId, newTitle)
    }

    ConfirmDialog {
        id: deleteDialog
        title: qsTr("Delete conversation?")
        confirmText: qsTr("Delete")
        message: qsTr("“%1” and all its messages will be deleted. This cannot be undone.")
                 .arg(subject)
        onAccepted: sidebar.app.deleteConversation(conversationId)
    }
}
