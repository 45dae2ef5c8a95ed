#pragma once

#include "net/call.h"

#include <QMainWindow>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QSlider;
class QSplitter;
class QToolButton;

namespace sockbench {

class CloserViews;
class CodeView;
class Console;
class LessonPanel;
class ReplayBar;
class Session;
class StageWidget;
class Workbench;

// The workbench window: the stage in the middle; the narration, the code and the console
// below (side by side on a wide screen, as tabs on a small one); the lesson's controls
// and the presentation pace on the toolbar. It never makes a socket call itself: panel
// clicks become statements the runner executes through the workbench.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Workbench& workbench, QWidget* parent = nullptr);
    ~MainWindow() override;

    Session& session() { return *m_session; }
    StageWidget* stage() const { return m_stage; }
    LessonPanel* lessonPanel() const { return m_lessonPanel; }
    CodeView* codeView() const { return m_codeView; }
    Console* console() const { return m_console; }
    QComboBox* lessonPicker() const { return m_lessonPicker; }
    QAction* stepAction() const { return m_step; }
    QAction* stepBackAction() const { return m_stepBack; }
    QAction* playAction() const { return m_play; }
    QAction* resetAction() const { return m_reset; }
    QLabel* liveIndicator() const { return m_live; }
    // The live indicator's words: a backlog of -1 is a recording replayed.
    static QString liveText(qsizetype backlog, qint64 lagNs);
    // Made when first shown or asked for: hidden, Look closer costs nothing, not even at
    // start-up (its views cost a tenth of the time to the first frame).
    CloserViews* closerViews();
    QDockWidget* closerDock() const { return m_closerDock; }
    ReplayBar* replayBar() const { return m_replayBar; }
    // Saves the session (script and recorded events) / opens a .sockbench file and replays
    // it; false with a message (also said in the status bar).
    bool saveSession(const QString& path, QString* error = nullptr);
    bool openSession(const QString& path, QString* error = nullptr);
    QString lastProblem() const { return m_problem; }

    // Opens a shipped lesson (name or number) or a lesson file; false with a message.
    bool openLesson(const QString& nameOrPath, QString* error = nullptr);
    // Opens a file as File › Open and the command line do: a recorded session (.sockbench)
    // replays, a script (.py) opens as a lesson. Anything else, or a file that cannot be
    // read or parsed, is refused with one sentence that starts with the path ("PATH: why",
    // or "PATH:LINE:COL: why" for a script that is not a valid lesson).
    bool openFile(const QString& path, QString* error = nullptr);
    // Several scripts side by side, each a host (a server and its client); or one file as
    // openFile() opens it. False with one sentence, as openFile().
    bool openFiles(const QStringList& paths, QString* error = nullptr);
    // A program the workbench did not ship runs with the student's rights, as `python3
    // file.py` would: the window says so and runs it only when they agree (or trusted it
    // as it is now). The command line's --screenshot has agreed already: off there.
    void setAskBeforeRunning(bool ask) { m_askBeforeRunning = ask; }
    // Runs a call as if its panel were filled in and Run pressed (the form's validation is
    // the panel's business; tests drive both).
    void runCall(SocketId socket, const Call& call);
    void setZoom(double zoom);
    double zoom() const { return m_zoom; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void buildToolbar();
    void fitToolbar(); // the picker to its titles, the labels that change to their widest

    void showPickedTitle();
    void buildMenus();
    void fitNarration();
    void shareWidth(); // between the code, the stage and Look closer
    void openCallForm(SocketId socket, CallKind kind, QWidget* anchor);
    void updateControls();
    void updateLive();
    void say(const QString& problem);
    void saveAs();
    void saveSessionAs();
    void chooseAndOpen(); // File › Open: asks for a file, then openFile()
    // Whether these programs may run (see setAskBeforeRunning): each as it is now, by name
    // and text. A refusal is said, "PATH: not run: ...", in *error.
    bool mayRun(const QList<std::pair<QString, QString>>& programs, QString* error);
    void runRecordingLive();
    // The toolbar's and the keys' step, back, play and reset: the lesson's, or the
    // recording's while one replays.
    void stepForward();
    void stepBack();
    void togglePlay();
    void resetOrRewind();
    void exportPython();
    void newHost();
    void startPeer(const QString& kind); // the Peers menu: a built-in peer, until the reset

    bool m_askBeforeRunning = true;
    bool m_arranged = false; // the columns got their first sizes
    Session* m_session;
    StageWidget* m_stage;
    LessonPanel* m_lessonPanel;
    CodeView* m_codeView;
    Console* m_console;
    CloserViews* m_closer = nullptr;
    QDockWidget* m_closerDock;
    ReplayBar* m_replayBar;
    QSplitter* m_columns;       // the code and its output, beside the stage and its narration
    QSplitter* m_pictureColumn; // the stage over its narration
    QComboBox* m_lessonPicker;
    QAction* m_stepBack;
    QAction* m_step;
    QAction* m_play;
    QAction* m_reset;
    QSlider* m_speed;
    QLabel* m_speedLabel;
    QLabel* m_live;
    QToolButton* m_catchUp;
    QString m_problem;
    QString m_lastPayload;     // what the last send form sent, as typed
    int m_lastPayloadMode = 0; // ... and whether as text or hex
    double m_zoom = 1.0;
    double m_baseFontSize = 0;
};

} // namespace sockbench
