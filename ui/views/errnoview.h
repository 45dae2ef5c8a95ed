#pragma once

#include "net/call.h"

#include <QWidget>

class QLabel;

namespace sockbench {

// What a failed call's error means, for the inspector: the name and the C library's text,
// then what it means, what usually causes it and what to try (resources/errno/). Hides
// itself for a result that is not a failure.
class ErrnoView : public QWidget {
    Q_OBJECT
public:
    explicit ErrnoView(QWidget* parent = nullptr);

    void showResult(const CallResult& result);

    // The texts shown, for tests and screen readers.
    QString headline() const;
    QString meaning() const;
    QString causes() const;
    QString tryThis() const;

private:
    QLabel* m_headline;
    QLabel* m_detail; // the C library's text, or the sentence of an invalid argument
    QLabel* m_meaning;
    QLabel* m_causesTitle;
    QLabel* m_causes;
    QLabel* m_tryTitle;
    QLabel* m_try;
};

} // namespace sockbench
