#pragma once

#include <QSize>
#include <QString>

namespace sockbench {

class MainWindow;

// Shows the window at size, steps the open lesson `steps` statements (each one settled
// before the next), lets the kernel's last observations land, renders the window to a
// PNG whose Title text is the window's title, and returns the exit status (0 written, 1 not).
int takeScreenshot(MainWindow& window, const QString& file, int steps, QSize size);

} // namespace sockbench
