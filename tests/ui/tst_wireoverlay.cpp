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
    void aWireRunsUnderTheCardsOnItsWay();
    void aWireRunsUnderEveryCardItCrosses();
    void neighboursAreJoinedByAWireLongEnoughToSee();
    void aWireGoesAroundACardRatherThanUnderIt();
    void aWireToTheFarColumnRunsAlongTheGapBetweenRows();
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

using Cards = std::vector<std::pair<SocketId, QRect>>;

// Finds a wire's end among the cards, by id.
WireOverlay::Locate locateIn(const Cards& cards)
{
    return [&cards](SocketId id) {
        for (const auto& [card, rect] : cards)
            if (card == id)
                return rect;
        return QRect();
    };
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

void TestWireOverlay::aWireRunsUnderTheCardsOnItsWay()
{
    // Lesson 09: the crowded listener at the left, a queued client in the right-hand column,
    // and another client card between them. The wire never strikes through the card in
    // between (its text stays clean); it shows on either side of it, up to both its ends.
    QWidget stage;
    stage.resize(600, 200);
    const QRect listener(10, 70, 120, 60);
    const QRect between(230, 60, 140, 80);
    const QRect client(470, 70, 120, 60);
    WireOverlay overlay(
        [&](SocketId id) {
            return id == SocketId{1}   ? listener
                   : id == SocketId{2} ? client
                   : id == SocketId{3} ? between
                                       : QRect();
        },
        &stage);
    overlay.setGeometry(stage.rect());
    overlay.setWires({{SocketId{2}, SocketId{1}, false, true}});
    const auto under = [&] {
        const QImage image = overlay.grab().toImage();
        return wirePixels(image, between.left(), between.right() + 1, between.top(),
                          between.bottom() + 1);
    };
    const auto beside = [&] {
        const QImage image = overlay.grab().toImage();
        return std::pair{wirePixels(image, listener.right() + 1, between.left(), 0, 200),
                         wirePixels(image, between.right() + 1, client.left(), 0, 200)};
    };
    QVERIFY2(under() > 0, "the test shows nothing: the wire does not cross the card between");
    overlay.setCards([&] {
        return std::vector<std::pair<SocketId, QRect>>{
            {SocketId{1}, listener}, {SocketId{2}, client}, {SocketId{3}, between}};
    });
    overlay.cardsMoved();
    QCOMPARE(under(), 0);
    const auto [left, right] = beside();
    QVERIFY(left > 0 && right > 0);
}

void TestWireOverlay::aWireRunsUnderEveryCardItCrosses()
{
    // Lesson 09 at 1280x720, step 67: the crowded listener at the left, six queued clients
    // in two columns. A wire to the right-hand column crosses two cards of the left-hand
    // one on its way, and runs under both: no dotted line over their text.
    QWidget stage;
    stage.resize(820, 520);
    const QRect listener(20, 256, 220, 90);
    const QRect upper(304, 226, 248, 85);
    const QRect lower(304, 319, 248, 85);
    const QRect farUpper(560, 226, 248, 85);
    const QRect farLower(560, 319, 248, 85);
    const Cards cards{{SocketId{1}, listener},
                      {SocketId{2}, upper},
                      {SocketId{3}, lower},
                      {SocketId{4}, farUpper},
                      {SocketId{5}, farLower}};
    WireOverlay overlay(locateIn(cards), &stage);
    overlay.setGeometry(stage.rect());
    overlay.setCards([&] { return cards; });
    overlay.setWires(
        {{SocketId{4}, SocketId{1}, false, true}, {SocketId{5}, SocketId{1}, false, true}});
    const QImage image = overlay.grab().toImage();
    for (const QRect& between : {upper, lower})
        QCOMPARE(wirePixels(image, between.left(), between.right() + 1, between.top(),
                            between.bottom() + 1),
                 0);
    // Both wires still reach their far cards, at the middle of a side: the left one, or,
    // where that way runs under the cards between, the top or the bottom.
    for (const QRect& end : {farUpper, farLower}) {
        const QPoint c = end.center();
        QVERIFY(wirePixels(image, end.left() - 8, end.left() + 1, c.y() - 6, c.y() + 6) +
                    wirePixels(image, c.x() - 6, c.x() + 6, end.top() - 8, end.top() + 1) +
                    wirePixels(image, c.x() - 6, c.x() + 6, end.bottom(), end.bottom() + 9) >
                0);
    }
}

void TestWireOverlay::aWireGoesAroundACardRatherThanUnderIt()
{
    // Lesson 29 at 1920x1080: the server's conn #2 at the left, bob at the right, alice in
    // the same row between them. A wire straight across ran under alice and came out of her
    // other side, as if alice were joined to bob. With room below the row, it goes around.
    QWidget stage;
    stage.resize(900, 400);
    const QRect conn(20, 60, 200, 90);
    const QRect alice(340, 40, 200, 110);
    const QRect bob(660, 60, 200, 90);
    const Cards cards{{SocketId{1}, conn}, {SocketId{2}, alice}, {SocketId{3}, bob}};
    WireOverlay overlay(locateIn(cards), &stage);
    overlay.setGeometry(stage.rect());
    overlay.setCards([&] { return cards; });
    overlay.setWires({{SocketId{1}, SocketId{3}, false}});
    const QImage image = overlay.grab().toImage();
    // Nothing under alice (it would be clipped) and nothing either side of her at her
    // height: the wire is not a stub in and a stub out.
    QCOMPARE(wirePixels(image, conn.right() + 4, alice.left(), alice.top(), alice.bottom()), 0);
    QCOMPARE(wirePixels(image, alice.right() + 1, bob.left() - 4, alice.top(), alice.bottom()), 0);
    // It passes below the row instead, from one card to the other.
    QVERIFY(wirePixels(image, alice.left(), alice.right(), alice.bottom() + 1, image.height()) > 0);
}

void TestWireOverlay::neighboursAreJoinedByAWireLongEnoughToSee()
{
    // Lesson 02: a socketpair's two ends side by side in one host's two columns, 12 px
    // apart. A wire straight across the gap was a 10 px stub that no chip could travel. The
    // wire dips below the pair, where there is room, and joins both cards there.
    QWidget stage;
    stage.resize(500, 220);
    QRect left(10, 40, 220, 60);
    QRect right(242, 40, 220, 90); // taller: cards in one row differ in height
    WireOverlay overlay(
        [&](SocketId id) { return id == SocketId{1}   ? left
                                  : id == SocketId{2} ? right
                                                      : QRect(); },
        &stage);
    overlay.setGeometry(stage.rect());
    overlay.setWires({{SocketId{1}, SocketId{2}, false}});
    const QImage wires = overlay.grab().toImage();
    // Long enough to see: a 5 px pen over more than 60 px (the stub was 12 px).
    QVERIFY(wirePixels(wires, 0, wires.width(), 0, wires.height()) > 5 * 60);
    const int under = std::max(left.bottom(), right.bottom());
    QVERIFY2(wirePixels(wires, left.right() - 60, right.left() + 60, under + 2, under + 40) > 0,
             "no wire below the pair");
    // It runs outside both cards, from their bottom edges (a chip on it is never hidden
    // inside a card), and not across the gap at their middle.
    QCOMPARE(
        wirePixels(wires, left.left() + 4, left.right() - 4, left.top() + 4, left.bottom() - 4), 0);
    QCOMPARE(
        wirePixels(wires, right.left() + 4, right.right() - 4, right.top() + 4, right.bottom() - 4),
        0);
    QCOMPARE(wirePixels(wires, left.right() + 1, right.left(), left.top(), left.bottom() - 4), 0);
    QVERIFY(wirePixels(wires, left.left(), left.right() + 1, left.bottom() - 2, left.bottom() + 6) >
            0);
    QVERIFY(wirePixels(wires, right.left(), right.right() + 1, right.bottom() - 2,
                       right.bottom() + 6) > 0);

    // A card below the pair: the wire rises above it instead, still outside every card.
    const QRect below(120, 150, 240, 60);
    overlay.setCards([&] {
        return std::vector<std::pair<SocketId, QRect>>{
            {SocketId{1}, left}, {SocketId{2}, right}, {SocketId{3}, below}};
    });
    overlay.cardsMoved();
    const QImage risen = overlay.grab().toImage();
    QVERIFY2(wirePixels(risen, left.right() - 60, right.left() + 60, 0, left.top() - 1) > 0,
             "no wire above the pair");
    QCOMPARE(wirePixels(risen, below.left(), below.right() + 1, below.top(), below.bottom()), 0);
}

void TestWireOverlay::aWireToTheFarColumnRunsAlongTheGapBetweenRows()
{
    // Lesson 09 at 1920x1080: the crowd's clients in a grid filling their host, the
    // listener to the left. No curve from side to side clears the near column, and there is
    // no room to loop above or below: the wires to the far column showed as stubs between
    // the columns. They run along the gap between the near column's rows instead.
    QWidget stage;
    stage.resize(820, 196);
    const QRect listener(20, 60, 220, 90);
    const QRect upper(304, 6, 248, 85);
    const QRect lower(304, 100, 248, 85);
    const QRect farUpper(560, 6, 248, 85);
    const QRect farLower(560, 100, 248, 85);
    const Cards cards{{SocketId{1}, listener},
                      {SocketId{2}, upper},
                      {SocketId{3}, lower},
                      {SocketId{4}, farUpper},
                      {SocketId{5}, farLower}};
    WireOverlay overlay(locateIn(cards), &stage);
    overlay.setGeometry(stage.rect());
    overlay.setCards([&] { return cards; });
    overlay.setWires({{SocketId{4}, SocketId{1}, false, true}});
    const QImage image = overlay.grab().toImage();
    // Along the row gap, the whole width of the near column, in view.
    QVERIFY(wirePixels(image, upper.left(), upper.right() + 1, upper.bottom() + 1, lower.top()) >
            upper.width());
    // Under neither near card, and into the far card's bottom.
    for (const QRect& near : {upper, lower})
        QCOMPARE(wirePixels(image, near.left(), near.right() + 1, near.top(), near.bottom() + 1),
                 0);
    QVERIFY(wirePixels(image, farUpper.center().x() - 6, farUpper.center().x() + 6,
                       farUpper.bottom() + 1, lower.top()) > 0);
}

QTEST_MAIN(TestWireOverlay)
#include "tst_wireoverlay.moc"
