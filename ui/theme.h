#pragma once

class QAbstractButton;
class QApplication;
class QColor;
class QString;
class QWidget;

namespace sockbench {

// The workbench's look: light, high-contrast, readable at the back of a classroom.
void applyTheme(QApplication& app);

// The monospace family of code, addresses and bytes: DejaVu Sans Mono where installed (the
// workbench installs it; its metrics are what the layouts are tried with), else the system's
// fixed-pitch font. applyTheme() also makes it what <code> and "monospace" mean in rich text,
// so a machine with other monospace fonts installed does not lay the window out differently.
// Call it only once the QApplication exists: the answer is kept.
QString monoFamily();

// Gives widget its parent's font, scale times as large (and bold if asked); setFontSize()
// keeps the proportion.
void setRelativeFont(QWidget* widget, double scale, bool bold = false);

// Sets the type size of root and every widget under it (not of windows it owns), each
// keeping its family, weight and relative size. Explicitly, widget by widget: a widget
// given a font of its own (a bold title, a monospace field) keeps it against its parent's.
void setFontSize(QWidget* root, double pointSize);

// A suggested next call: its button is drawn filled and edged in blue, its text bold (the
// theme's style draws it; no style sheet, which costs every widget of the window memory).
void setSuggested(QAbstractButton* button, bool suggested);

// A label's text colour, through its palette.
void setTextColor(QWidget* widget, const QColor& color);
// A widget's own background, filled.
void setBackground(QWidget* widget, const QColor& color);

// A rounded panel with an edge kPanelEdge wide, painted over the whole of widget (from its
// paintEvent). The widget keeps kPanelEdge of contents margin so nothing covers the edge.
constexpr int kPanelEdge = 2;
void paintPanel(QWidget* widget, const QColor& fill, const QColor& edge, double radius);

} // namespace sockbench
