#include "replaybar.h"

#include "replayer.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

namespace sockbench {

ReplayBar::ReplayBar(Replayer& replayer, QWidget* parent)
    : QFrame(parent)
    , m_replayer(replayer)
    , m_what(new QLabel(this))
    , m_where(new QLabel(this))
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_live(new QPushButton(tr("Run again live"), this))
{
    setObjectName(QStringLiteral("replayBar"));
    setStyleSheet(QStringLiteral("#replayBar { background: #fef3c7; border: 1px solid #f59e0b;"
                                 " border-radius: 6px; }"));
    m_what->setTextFormat(Qt::RichText);
    m_what->setWordWrap(true); // a 1280-pixel projector must not widen the window
    m_where->setTextFormat(Qt::RichText);
    m_where->setWordWrap(true);
    m_slider->setObjectName(QStringLiteral("replayPosition"));
    m_slider->setAccessibleName(tr("Position in the recording"));
    m_slider->setToolTip(tr("Drag to any moment of the recording"));
    m_live->setObjectName(QStringLiteral("runLive"));
    m_live->setToolTip(tr("Load the recorded script and run it for real, from the start"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_what, 1);
    top->addWidget(m_live);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addLayout(top);
    layout->addWidget(m_slider);
    layout->addWidget(m_where);

    connect(m_live, &QPushButton::clicked, this, &ReplayBar::runLiveRequested);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (value != m_replayer.position())
            m_replayer.seek(value);
    });
    connect(&m_replayer, &Replayer::moved, this, &ReplayBar::refresh);
    refresh();
}

QString ReplayBar::text() const
{
    return m_what->text() + QLatin1Char(' ') + m_where->text();
}

void ReplayBar::refresh()
{
    setVisible(m_replayer.isActive());
    if (!m_replayer.isActive())
        return;
    const auto& s = m_replayer.session();
    const QDateTime at = QDateTime::fromString(s.savedAt, Qt::ISODate);
    const QString recorded =
        at.isValid()
            ? tr(", recorded %1").arg(QLocale().toString(at.toLocalTime(), QLocale::ShortFormat))
            : QString();
    m_what->setText(tr("<b>▶ Replaying a recorded session</b>%1 — no sockets are used; "
                       "Step, Back and Play move through what was recorded.")
                        .arg(recorded.toHtmlEscaped()));
    {
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, m_replayer.total());
        m_slider->setValue(m_replayer.position());
    }
    QString where = m_replayer.bySteps()
                        ? tr("Step %1 of %2 · event %3 of %4")
                              .arg(m_replayer.step())
                              .arg(m_replayer.steps())
                              .arg(m_replayer.position())
                              .arg(m_replayer.total())
                        : tr("Event %1 of %2").arg(m_replayer.position()).arg(m_replayer.total());
    if (const auto* st = m_replayer.currentStatement())
        where += tr(" · %1, line %2: <code>%3</code> → %4")
                     .arg(st->actor.toHtmlEscaped())
                     .arg(st->line)
                     .arg(st->source.toHtmlEscaped(), st->value.left(100).toHtmlEscaped());
    if (m_replayer.atEnd())
        where += tr(" · the end of the recording");
    m_where->setText(where);
}

} // namespace sockbench
