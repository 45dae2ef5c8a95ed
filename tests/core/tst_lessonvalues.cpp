#include <QtTest>
class TestLessonValues : public QObject {
    Q_OBJECT
};
QTEST_GUILESS_MAIN(TestLessonValues)
#include "tst_lessonvalues.moc"
