// MainWindow: how the window shares its room and its type size - the code column beside
// the stage, the narration's height, Look closer's share, the zoom - and the projector's
// Space key.

#include "mainwindow.h"

#include "lesson/lessonpanel.h"
#include "theme.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QKeyEvent>
#include <QLabel>
#include <QSettings>
#include <QSplitter>
#include <QStyle>
#include <QStyleOptionComboBox>
#include <QTextDocumentFragment>

#include <algorithm>

namespace sockbench {

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (m_arranged)
        return;
    m_arranged = true;
    // A third of the width for the code (enough for a line of the course's programs at
    // 1280), the rest for the stage; the narration under it gets a quarter of the height.
    shareWidth();
    fitNarration();
    auto* codeColumn = m_columns->findChild<QSplitter*>(QStringLiteral("codeColumn"));
    const int output = std::clamp(codeColumn->height() / 5, 90, 240);
    codeColumn->setSizes({codeColumn->height() - output, output});
}

void MainWindow::keyPressEvent(QKeyEvent* event)
{
    // Space that no focused control took (a button takes it, a text field types it).
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::NoModifier) {
        stepForward();
        event->accept();
        return;
    }
    QMainWindow::keyPressEvent(event);
}

void MainWindow::shareWidth()
{
    // The code a third of the width (a line of the course's programs at 1280), the stage
    // the rest. With Look closer open, the three share it: the ladder a third, the code a
    // quarter, so that the stage keeps room for two hosts side by side at 1280.
    const bool closer = m_closerDock->isVisible() && !m_closerDock->isFloating();
    if (closer)
        resizeDocks({m_closerDock}, {width() * 34 / 100}, Qt::Horizontal);
    const int total = m_columns->width();
    const int code =
        closer ? std::clamp(width() * 25 / 100, 280, 560) : std::clamp(total * 35 / 100, 360, 680);
    m_columns->setSizes({code, std::max(total - code, 200)});
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    if (m_arranged)
        fitNarration();
}

void MainWindow::fitNarration()
{
    // The narration gets the height its words need at this step (between a fifth and not
    // quite half of the column), the stage the rest: nothing said is cut off, and the
    // stage is as large as it can be.
    const int height = m_pictureColumn->height();
    if (height <= 0)
        return;
    const int wanted = m_lessonPanel->heightForWidth(m_lessonPanel->width()) + 4;
    const int narration = std::clamp(wanted, height / 5, height * 45 / 100);
    const QList<int> sizes{height - narration, narration};
    if (m_pictureColumn->sizes() != sizes)
        m_pictureColumn->setSizes(sizes);
}

void MainWindow::fitToolbar()
{
    // The labels that change as the lesson runs are as wide as their widest text from the
    // start: the picker before them gives up that room once, and Step, Back and Reset never
    // move under the presenter's pointer (they moved 150 px left whenever the picture fell
    // behind, and the next click on Step landed on Reset).
    const auto reserve = [](QLabel* label, const QStringList& widest) {
        int most = 0;
        for (const QString& text : widest)
            most = std::max(most, label->fontMetrics().horizontalAdvance(text));
        label->setMinimumWidth(most + label->contentsMargins().left() +
                               label->contentsMargins().right());
    };
    reserve(m_speedLabel, {QStringLiteral("instant ")});
    const auto plain = [](const QString& html) {
        return QTextDocumentFragment::fromHtml(html).toPlainText();
    };
    reserve(m_live, {plain(liveText(99, 9'900'000'000)), plain(liveText(-1, 0))});
    // Never wider than its longest title needs: the toolbar's spare room beyond that stays
    // with the toolbar.
    int widest = 0;
    for (int i = 0; i < m_lessonPicker->count(); ++i)
        widest = std::max(
            widest, m_lessonPicker->fontMetrics().horizontalAdvance(m_lessonPicker->itemText(i)));
    QStyleOptionComboBox option;
    option.initFrom(m_lessonPicker);
    const QSize whole = m_lessonPicker->style()->sizeFromContents(
        QStyle::CT_ComboBox, &option, QSize(widest, m_lessonPicker->fontMetrics().height()),
        m_lessonPicker);
    m_lessonPicker->setMaximumWidth(whole.width());
    m_lessonPicker->view()->setMinimumWidth(whole.width());
}

void MainWindow::showPickedTitle()
{
    // Where the picker is too narrow for the title, its tooltip says it whole.
    const QString picked = m_lessonPicker->currentText();
    m_lessonPicker->setToolTip(picked.isEmpty()
                                   ? tr("Pick a lesson; it opens ready to step")
                                   : tr("%1\nPick a lesson; it opens ready to step").arg(picked));
}

void MainWindow::setZoom(double zoom)
{
    m_zoom = std::clamp(zoom, 0.6, 3.0);
    QFont font = QApplication::font();
    font.setPointSizeF((m_baseFontSize > 0 ? m_baseFontSize : 10) * m_zoom);
    QApplication::setFont(font); // menus, dialogs, tooltips and call forms
    // Every pane at once, now: narration, code, console, toolbar, stage and Look closer.
    setFontSize(this, font.pointSizeF());
    fitToolbar();
    QSettings().setValue(QStringLiteral("zoom"), m_zoom);
}

} // namespace sockbench
