#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QSlider;

namespace sockbench {

class Replayer;

// The banner over the stage while a recorded session replays: what it is (a recording,
// no sockets), where in it we are, a slider to scrub through it, and the way back to live.
class ReplayBar : public QFrame {
    Q_OBJECT
public:
    explicit ReplayBar(Replayer& replayer, QWidget* parent = nullptr);

    QString text() const;
    QSlider* slider() const { return m_slider; }
    QPushButton* liveButton() const { return m_live; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void runLiveRequested();

private:
    Replayer& m_replayer;
    QLabel* m_what;
    QLabel* m_where;
    QSlider* m_slider;
    QPushButton* m_live;
};

} // namespace sockbench
