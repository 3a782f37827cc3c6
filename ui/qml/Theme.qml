pragma Singleton
import QtQuick

// Colours, spacing and type for every page: change the look here, not in the pages.
QtObject {
    // Surfaces
    readonly property color window: "#f6f7f9"
    readonly property color surface: "#ffffff"
    readonly property color surfaceAlt: "#f1f2f5"
    readonly property color sidebar: "#fbfbfc"
    readonly property color rail: "#16171c"
    readonly property color railText: "#a3a6b1"
    readonly property color railHover: "#24262d"
    readonly property color border: "#e4e6eb"
    readonly property color divider: "#eceef2"

    // Text
    readonly property color text: "#1b1d22"
    readonly property color textMuted: "#6b707c"
    readonly property color textFaint: "#9a9eaa"
    readonly property color textOnAccent: "#ffffff"

    // Accent and states
    readonly property color accent: "#5b5bd6"
    readonly property color accentHover: "#4c4cc4"
    readonly property color accentSoft: "#eef0ff"
    readonly property color accentSoftText: "#3e3ea8"
    readonly property color danger: "#d1323b"
    readonly property color dangerSoft: "#fdeced"
    readonly property color warning: "#9a6700"
    readonly property color warningSoft: "#fff6e0"
    readonly property color warningBorder: "#f3dca0"
    readonly property color success: "#1a7f4b"
    readonly property color successSoft: "#e6f6ed"

    // Message bubbles
    readonly property color userBubble: "#5b5bd6"
    readonly property color userBubbleText: "#ffffff"
    readonly property color assistantBubble: "#ffffff"

    // Spacing (a 4-pixel grid)
    readonly property int spacingXs: 4
    readonly property int spacingS: 8
    readonly property int spacingM: 12
    readonly property int spacingL: 16
    readonly property int spacingXl: 24
    readonly property int spacingXxl: 40

    readonly property int radiusS: 6
    readonly property int radiusM: 10
    readonly property int radiusL: 14

    // Sizes
    readonly property int railWidth: 76
    readonly property int sidebarWidth: 264
    readonly property int panelWidth: 300
    readonly property int contentMaxWidth: 820
    readonly property int iconSize: 20

    // Type
    readonly property string fontFamily: "DejaVu Sans"
    readonly property string monoFamily: "DejaVu Sans Mono"
    readonly property int fontSmall: 11
    readonly property int fontBody: 13
    readonly property int fontLarge: 15
    readonly property int fontTitle: 18
    readonly property int fontHeading: 22
}
