#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableWidget;

namespace sockbench {

class EventSelection;
class Timeline;

// The address inspector. For the selected event: each address it carries (the socket's
// own, its peer's, and the one the call was about - where bind() or connect() went, whom
// accept() or recvfrom() heard from) in every form the course shows, under a heading
// each. Above that, "Look at any address": type an address in any of those forms (and
// a port if you like) and see all the others; text that is not an address gets one
// sentence saying why, right next to the field.
class AddressView : public QWidget {
    Q_OBJECT
public:
    explicit AddressView(Timeline& timeline, EventSelection& selection, QWidget* parent = nullptr);

    QLineEdit* lookupField() const { return m_field; }
    // The sentence shown next to the field; empty while the text parses (or is empty).
    QString lookupError() const;
    QTableWidget* lookupTable() const { return m_lookupTable; }
    QTableWidget* eventTable() const { return m_eventTable; }
    // The headings of the selected event's addresses, in order ("Local address: ...").
    QStringList eventHeadings() const;

public Q_SLOTS:
    // Puts text in the lookup field, as if typed.
    void lookAt(const QString& text);

private:
    void showSelected();
    void showTyped(const QString& text);

    Timeline& m_timeline;
    EventSelection& m_selection;
    QLineEdit* m_field;
    QLabel* m_error;
    QTableWidget* m_lookupTable;
    QLabel* m_eventTitle;
    QTableWidget* m_eventTable;
    bool m_selectedFound = false; // the selected event was in the timeline last time we looked
};

} // namespace sockbench
