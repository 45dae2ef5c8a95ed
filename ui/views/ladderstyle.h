#pragma once

// The ladder's look, shared by the view's geometry and its painting: the app's palette
// (high contrast on white, readable on a projector) and the sizes at zoom 1.

#include <QColor>
#include <QFont>

namespace sockbench::ladderstyle {

inline const QColor kText(0x11, 0x18, 0x27);
inline const QColor kError(0xb9, 0x1c, 0x1c);
inline const QColor kData(0x25, 0x63, 0xeb);
inline const QColor kInferred(0x6b, 0x72, 0x80);
inline const QColor kKernel(0x4b, 0x55, 0x63);
inline const QColor kLifeline(0x94, 0xa3, 0xb8);
inline const QColor kBlockedFill(0xfe, 0xf3, 0xc7);
inline const QColor kBlockedEdge(0xd9, 0x77, 0x06);
inline const QColor kBand(0xf1, 0xf5, 0xf9);
inline const QColor kHostEdge(0xcb, 0xd5, 0xe1);
inline const QColor kSelection(0xfe, 0xf0, 0x8a);
inline const QColor kSelectionEdge(0xf5, 0x9e, 0x0b);

constexpr double kRow = 38;     // row height at zoom 1
constexpr double kColumn = 260; // column width at zoom 1: two sockets fit a 700-pixel dock
constexpr double kMaxColumn = 560;
constexpr double kMargin = 12;
constexpr double kTopPad = 10;
constexpr double kMinZoom = 0.3;
constexpr double kMaxZoom = 3.0;

inline QFont atLeast(QFont font, double points, bool bold = false)
{
    if (font.pointSizeF() < points)
        font.setPointSizeF(points);
    font.setBold(bold);
    return font;
}

} // namespace sockbench::ladderstyle
