// The wires between cards, on a plain widget: every wire is drawn where the class can see
// it, joining its two cards.

#include "wireoverlay.h"

#include <QImage>
#include <QTest>

using namespace sockbench;

class TestWireOverlay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cardsStackedAtTheEdgeLoopOnTheSideWithRoom();
};

namespace {

// Wire pixels in the column of x values [left, right), between rows top and bottom.
int wirePixels(const QImage& image, int left, int right, int top, int bottom)
{
    int count = 0;
    for (int x = std::max(left, 0); x < std::min(right, image.width()); ++x)
        for (int y = std::max(top, 0); y < std::min(bottom, image.height()); ++y)
            if (qAlpha(image.pixel(x, y)) > 100)
                ++count;
    return count;
}

} // namespace

void TestWireOverlay::cardsStackedAtTheEdgeLoopOnTheSideWithRoom()
{
    // Two connected cards, one above the other, in the stage's last column: a loop out to
    // the right would leave the stage and show two stubs that join nothing (lesson 21 at
    // 1280x720). It loops out to the left, into the room between the columns.
    QWidget stage;
    stage.resize(400, 300);
    QRect upper(290, 20, 105, 60);
    QRect lower(290, 180, 105, 60);
    WireOverlay overlay(
        [&](SocketId id) {
            return id == SocketId{1} ? upper : id == SocketId{2} ? lower : QRect();
        },
        &stage);
    overlay.setGeometry(stage.rect());
    overlay.setWires({{SocketId{1}, SocketId{2}, false}});
    const QImage wires = overlay.grab().toImage();
    // Between the two cards, beside them: the loop's turn.
    QVERIFY2(wirePixels(wires, 230, upper.left(), upper.bottom(), lower.top()) > 0,
             "no loop to the left of the stacked cards");
    QCOMPARE(wirePixels(wires, upper.right() + 1, wires.width(), 0, wires.height()), 0);
    // It leaves each card from its side.
    QVERIFY(wirePixels(wires, upper.left() - 4, upper.left() + 1, upper.center().y() - 4,
                       upper.center().y() + 4) > 0);
    QVERIFY(wirePixels(wires, lower.left() - 4, lower.left() + 1, lower.center().y() - 4,
                       lower.center().y() + 4) > 0);

    // Stacked in the first column, with the stage's edge close on the left: out to the right.
    upper.moveLeft(8);
    lower.moveLeft(8);
    overlay.cardsMoved();
    const QImage first = overlay.grab().toImage();
    QVERIFY(wirePixels(first, upper.right() + 1, upper.right() + 60, upper.bottom(), lower.top()) >
            0);
    QCOMPARE(wirePixels(first, 0, upper.left(), 0, first.height()), 0);
}

QTEST_MAIN(TestWireOverlay)
#include "tst_wireoverlay.moc"
