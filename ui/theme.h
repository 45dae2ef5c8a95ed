#pragma once

class QApplication;

namespace sockbench {

// The workbench's look: light, high-contrast, readable at the back of a classroom.
void applyTheme(QApplication& app);

} // namespace sockbench
