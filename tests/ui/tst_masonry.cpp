// The stage's host layout: short hosts stack under each other, a host with many cards spans
// several columns, nothing moves when a later host arrives, and when the order-kept
// placement is too tall for the stage, a placement that fits is found.

#include "masonrylayout.h"

#include <QTest>
#include <QWidget>

using namespace sockbench;

class TestMasonry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shortItemsStackUnderEachOther();
    void aSpanningItemTakesTheLowestRun();
    void aLaterItemMovesNothing();
    void fewItemsShareTheWholeWidth();
    void pastTheLimitTheLeastTallPlacementIsTaken();
    void aWholeRowItemKeepsItsMinimumInOneColumn();
    void anItemKeepsItsColumnWhileItFits();
    void aPlaceTakenAmongEqualsIsNotKept();
};

namespace {

constexpr int kGap = 10;

struct Canvas {
    QWidget widget;
    MasonryLayout* layout = new MasonryLayout(&widget, kGap, kGap);
    Canvas(int minimumColumn)
    {
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setMinimumColumnWidth(minimumColumn);
    }
    QWidget* add(int height, int span = 1)
    {
        auto* item = new QWidget(&widget);
        item->setFixedHeight(height);
        item->setProperty("columnSpan", span);
        layout->addWidget(item);
        return item;
    }
    // Lays out at this width, as tall as it asks; returns each item's place.
    QList<QRect> placed(int width)
    {
        layout->setGeometry(QRect(0, 0, width, layout->heightForWidth(width)));
        QList<QRect> out;
        for (int i = 0; i < layout->count(); ++i)
            out << layout->itemAt(i)->geometry();
        return out;
    }
};

bool overlapFree(const QList<QRect>& rects)
{
    for (int i = 0; i < rects.size(); ++i)
        for (int j = i + 1; j < rects.size(); ++j)
            if (rects[i].intersects(rects[j]))
                return false;
    return true;
}

} // namespace

void TestMasonry::shortItemsStackUnderEachOther()
{
    Canvas canvas(100);
    canvas.add(300);
    canvas.add(100);
    canvas.add(120);
    canvas.add(100); // under the shortest column: the second
    const QList<QRect> at = canvas.placed(3 * 100 + 2 * kGap);
    QCOMPARE(canvas.layout->columnsFor(3 * 100 + 2 * kGap), 3);
    QCOMPARE(at[1].topLeft(), QPoint(110, 0));
    QCOMPARE(at[2].topLeft(), QPoint(220, 0));
    QCOMPARE(at[3].topLeft(), QPoint(110, 100 + kGap));
    QCOMPARE(at[3].width(), 100);
    QCOMPARE(canvas.layout->heightForWidth(320), 300); // the tallest column
    QVERIFY(overlapFree(at));
}

void TestMasonry::aSpanningItemTakesTheLowestRun()
{
    Canvas canvas(100);
    canvas.add(300);
    canvas.add(100);
    canvas.add(50);
    QWidget* wide = canvas.add(200, 2);
    const QList<QRect> at = canvas.placed(320);
    // Columns 1 and 2 end at 100 and 50: it starts under the taller of the two, two columns
    // and the gap between them wide.
    QCOMPARE(at[3], QRect(110, 100 + kGap, 210, 200));
    QCOMPARE(wide->geometry(), at[3]);
    QVERIFY(overlapFree(at));
}

void TestMasonry::aLaterItemMovesNothing()
{
    Canvas canvas(100);
    for (const int height : {180, 60, 90, 40, 70})
        canvas.add(height);
    const QList<QRect> before = canvas.placed(320);
    canvas.add(120, 2);
    canvas.add(30);
    const QList<QRect> after = canvas.placed(320);
    QCOMPARE(after.mid(0, before.size()), before);
    QVERIFY(overlapFree(after));
}

void TestMasonry::fewItemsShareTheWholeWidth()
{
    Canvas canvas(100);
    canvas.add(50);
    canvas.add(50);
    // Room for four columns, but two items: two columns, each half of the width.
    QCOMPARE(canvas.layout->columnsFor(430), 2);
    const QList<QRect> at = canvas.placed(430);
    QCOMPARE(at[0], QRect(0, 0, 210, 50));
    QCOMPARE(at[1], QRect(220, 0, 210, 50));
    // Never narrower than the minimum: one column, the second item under the first.
    QCOMPARE(canvas.layout->columnsFor(150), 1);
    QCOMPARE(canvas.placed(150)[1].topLeft(), QPoint(0, 50 + kGap));
    // A maximum keeps the columns down.
    canvas.layout->setMaximumColumns(1);
    QCOMPARE(canvas.layout->columnsFor(430), 1);
}

void TestMasonry::pastTheLimitTheLeastTallPlacementIsTaken()
{
    // Lesson 09's stage: a server with four sockets, three clients with one each, and the
    // crowd of seven across two columns. In order, the third client goes under the first and
    // the crowd under the third: too tall. Put under the server, the third leaves the crowd
    // room to start higher.
    Canvas canvas(100);
    for (const int height : {350, 100, 100, 100})
        canvas.add(height);
    canvas.add(347, 2);
    const int inOrder = canvas.layout->heightForWidth(320);
    QCOMPARE(inOrder, 100 + kGap + 100 + kGap + 347);
    const int limit = 480;
    canvas.layout->setHeightLimit(limit);
    const int packed = canvas.layout->heightForWidth(320);
    QVERIFY2(packed <= limit, qPrintable(QString::number(packed)));
    QCOMPARE(packed, 350 + kGap + 100);
    const QList<QRect> at = canvas.placed(320);
    QVERIFY(overlapFree(at));
    for (const QRect& r : at)
        QVERIFY(r.bottom() < packed);
    // Under the limit, the order-kept placement stands.
    canvas.layout->setHeightLimit(inOrder);
    QCOMPARE(canvas.layout->heightForWidth(320), inOrder);
}

void TestMasonry::aWholeRowItemKeepsItsMinimumInOneColumn()
{
    // A card asking for the whole row (an explained error: a span of 64) in a host of one
    // column needs its whole minimum width from that one column, not a 64th of it.
    Canvas canvas(50);
    canvas.layout->setMaximumColumns(1);
    QWidget* wide = canvas.add(40, 64);
    wide->setMinimumWidth(300);
    QVERIFY2(canvas.layout->minimumSize().width() >= 300,
             qPrintable(QString::number(canvas.layout->minimumSize().width())));
    // In two columns it spans both, each half of it (and a gap).
    canvas.layout->setMaximumColumns(2);
    QVERIFY(canvas.layout->minimumSize().width() >= (300 - kGap) / 2);
}

void TestMasonry::anItemKeepsItsColumnWhileItFits()
{
    // Lesson 04's clients: carol under alice. Alice grows a little, and in order carol would
    // now go under bob; she stays where she is, since the stage still fits. Once alice is
    // much taller than bob, carol moves.
    Canvas canvas(100);
    canvas.layout->setHeightLimit(1000);
    canvas.add(100);
    QWidget* alice = canvas.add(50);
    canvas.add(60);
    canvas.add(40);
    QCOMPARE(canvas.placed(320)[3].x(), 110);
    alice->setFixedHeight(80);
    QCOMPARE(canvas.placed(320)[3].x(), 110);
    QCOMPARE(canvas.layout->movedLastTime(), 0);
    // Without a place kept (no height limit: nothing is kept), it would have moved.
    Canvas fresh(100);
    for (const int height : {100, 80, 60, 40})
        fresh.add(height);
    QCOMPARE(fresh.placed(320)[3].x(), 220);
    // Far taller: under bob, where it starts 250 px higher.
    alice->setFixedHeight(300);
    QCOMPARE(canvas.placed(320)[3].x(), 220);
    QCOMPARE(canvas.layout->movedLastTime(), 1);
    QVERIFY(overlapFree(canvas.placed(320)));
}

void TestMasonry::aPlaceTakenAmongEqualsIsNotKept()
{
    // Lesson 04 before any socket: four empty hosts of one height, the fourth under the
    // first as the leftmost of equals. Once the first (the server) has a card, the fourth
    // goes where the columns are lowest, not under the server.
    Canvas canvas(100);
    canvas.layout->setHeightLimit(1000);
    QWidget* server = canvas.add(50);
    for (int i = 0; i < 3; ++i)
        canvas.add(50);
    QCOMPARE(canvas.placed(320)[3].x(), 0);
    server->setFixedHeight(80);
    QCOMPARE(canvas.placed(320)[3].x(), 110);
    // Placed there for a reason (the lowest), it is kept there now.
    server->setFixedHeight(50);
    QCOMPARE(canvas.placed(320)[3].x(), 110);
}

QTEST_MAIN(TestMasonry)
#include "tst_masonry.moc"
