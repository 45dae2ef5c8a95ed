#pragma once

class QApplication;
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
// keeping its family, weight and relative size. Explicitly, widget by widget: under the
// theme's style sheet a widget keeps the font it was polished with, so a font set on a
// parent alone would not reach it.
void setFontSize(QWidget* root, double pointSize);

} // namespace sockbench
