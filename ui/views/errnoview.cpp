#include "errnoview.h"

#include "net/errnoexplainer.h"
#include "theme.h"

#include <QLabel>
#include <QVBoxLayout>

namespace sockbench {

namespace {

// Colours through the palette: a style sheet on a label would give it a box of its own and
// shift it out of line with the others.
void setTextColor(QLabel* label, const QColor& color)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color);
    label->setPalette(palette);
}

QLabel* textLabel(QWidget* parent, const QString& objectName)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel* sectionTitle(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    setRelativeFont(label, 1.0, true);
    setTextColor(label, QColor(0x37, 0x41, 0x51));
    return label;
}

// What the program would have seen: the C library's text and Python's exception.
QString detailOf(const CallResult& result)
{
    switch (result.outcome) {
    case Outcome::Error: {
        const QString exception =
            errnocatalog::pythonException(result.errorDomain, result.errorNumber);
        const QString text = result.message.isEmpty()
                                 ? errnocatalog::description(result.errorDomain, result.errorNumber)
                                 : result.message;
        if (result.errorDomain == ErrorDomain::Errno)
            return ErrnoView::tr("errno %1: %2 · Python raises %3")
                .arg(result.errorNumber)
                .arg(text, exception);
        return ErrnoView::tr("%1 · Python raises %2").arg(text, exception);
    }
    case Outcome::Timeout:
        return ErrnoView::tr("Python raises socket.timeout (TimeoutError)");
    case Outcome::Interrupted:
    case Outcome::Invalid:
        return result.message;
    case Outcome::Ok:
        break;
    }
    return {};
}

} // namespace

ErrnoView::ErrnoView(QWidget* parent)
    : QWidget(parent)
    , m_headline(new QLabel(this))
    , m_detail(textLabel(this, QStringLiteral("errnoDetail")))
    , m_meaning(textLabel(this, QStringLiteral("errnoMeaning")))
    , m_causesTitle(sectionTitle(tr("What usually causes it"), this))
    , m_causes(textLabel(this, QStringLiteral("errnoCauses")))
    , m_tryTitle(sectionTitle(tr("What to try"), this))
    , m_try(textLabel(this, QStringLiteral("errnoTry")))
{
    setObjectName(QStringLiteral("errnoView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    m_headline->setObjectName(QStringLiteral("errnoName"));
    m_headline->setTextFormat(Qt::PlainText);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setRelativeFont(m_headline, 1.3, true);
    setTextColor(m_headline, QColor(0xb9, 0x1c, 0x1c));
    setTextColor(m_detail, QColor(0x6b, 0x72, 0x80));
    setRelativeFont(m_meaning, 1.1);

    layout->addWidget(m_headline);
    layout->addWidget(m_detail);
    layout->addSpacing(4);
    layout->addWidget(m_meaning);
    layout->addSpacing(6);
    layout->addWidget(m_causesTitle);
    layout->addWidget(m_causes);
    layout->addSpacing(6);
    layout->addWidget(m_tryTitle);
    layout->addWidget(m_try);
    layout->addStretch();
    hide();
}

void ErrnoView::showResult(const CallResult& result)
{
    if (result.ok()) {
        hide();
        return;
    }
    const auto explanation = errnoexplainer::explain(result);
    m_headline->setText(result.errorName());
    m_detail->setText(detailOf(result));
    const bool explained = explanation.has_value();
    // An errno without written text still shows what the C library says about it.
    m_meaning->setText(explained ? explanation->meaning
                                 : tr("No explanation is written for this error yet."));
    m_causes->setText(explained ? explanation->causes : QString());
    m_try->setText(explained ? explanation->tryThis : QString());
    for (QWidget* w : {static_cast<QWidget*>(m_causesTitle), static_cast<QWidget*>(m_causes),
                       static_cast<QWidget*>(m_tryTitle), static_cast<QWidget*>(m_try)})
        w->setVisible(explained);
    setAccessibleDescription(explained ? explanation->meaning : m_detail->text());
    show();
}

QString ErrnoView::headline() const
{
    return m_headline->text();
}

QString ErrnoView::meaning() const
{
    return m_meaning->text();
}

QString ErrnoView::causes() const
{
    return m_causes->text();
}

QString ErrnoView::tryThis() const
{
    return m_try->text();
}

} // namespace sockbench
