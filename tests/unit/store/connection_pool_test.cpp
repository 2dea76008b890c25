#include "store/connection_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace cinerec {
namespace {

using namespace std::chrono_literals;

// A stand-in connection that counts how many exist, so the tests see opens and closes.
struct FakeConnection {
  explicit FakeConnection(std::atomic<int>* alive, int serial) : alive(alive), serial(serial) { ++*alive; }
  ~FakeConnection() { --*alive; }
  std::atomic<int>* alive;
  int serial;
};

class ConnectionPoolTest : public ::testing::Test {
 protected:
  ConnectionPool<FakeConnection>::Factory factory() {
    return [this]() -> Result<std::unique_ptr<FakeConnection>> {
      int serial = ++opened_;
      if (fail_next_.exchange(false)) return Error{"could not connect: the server is down"};
      return std::make_unique<FakeConnection>(&alive_, serial);
    };
  }
  std::atomic<int> alive_{0};
  std::atomic<int> opened_{0};
  std::atomic<bool> fail_next_{false};
};

TEST_F(ConnectionPoolTest, AReturnedConnectionIsLentAgainInsteadOfOpeningAnother) {
  ConnectionPool<FakeConnection> pool(factory(), 4, 1s);
  int first = 0;
  {
    auto lease = pool.acquire();
    ASSERT_TRUE(lease.ok()) << lease.error().message;
    first = (*lease)->serial;
  }
  EXPECT_EQ(pool.idle_count(), 1u);
  auto again = pool.acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->serial, first);
  EXPECT_EQ(opened_.load(), 1);
  EXPECT_EQ(pool.open_count(), 1u);
}

TEST_F(ConnectionPoolTest, ManyThreadsNeverHoldMoreThanCapacityConnections) {
  ConnectionPool<FakeConnection> pool(factory(), 3, 10s);
  std::atomic<int> lent{0}, most_lent{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto lease = pool.acquire();
        if (!lease.ok()) {
          ++failures;
          continue;
        }
        int now = ++lent;
        int seen = most_lent.load();
        while (now > seen && !most_lent.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --lent;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(most_lent.load(), 3);
  EXPECT_GE(most_lent.load(), 1);
  EXPECT_LE(opened_.load(), 3);
  EXPECT_EQ(alive_.load(), static_cast<int>(pool.open_count()));
  EXPECT_EQ(pool.idle_count(), pool.open_count());
}

TEST_F(ConnectionPoolTest, AWaiterGetsTheConnectionReturnedByAnotherThread) {
  ConnectionPool<FakeConnection> pool(factory(), 1, 10s);
  auto held = pool.acquire();
  ASSERT_TRUE(held.ok());
  const int serial = (*held)->serial;
  std::thread giver([lease = std::move(held).value()]() mutable {
    std::this_thread::sleep_for(50ms);  // then the lease is destroyed with the thread's lambda
  });
  auto waited = pool.acquire();
  giver.join();
  ASSERT_TRUE(waited.ok()) << waited.error().message;
  EXPECT_EQ((*waited)->serial, serial);
  EXPECT_EQ(opened_.load(), 1);
}

TEST_F(ConnectionPoolTest, WhenEveryConnectionStaysBusyTheWaitEndsWithAMessage) {
  ConnectionPool<FakeConnection> pool(factory(), 2, 30ms);
  auto a = pool.acquire();
  auto b = pool.acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = pool.acquire();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "all 2 database connections stayed busy for 30 ms");
  EXPECT_EQ(opened_.load(), 2);
}

TEST_F(ConnectionPoolTest, AFailedOpenIsReturnedAsIsAndTakesNoSlot) {
  ConnectionPool<FakeConnection> pool(factory(), 1, 30ms);
  fail_next_ = true;
  auto failed = pool.acquire();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "could not connect: the server is down");
  EXPECT_EQ(pool.open_count(), 0u);
  auto next = pool.acquire();  // the one slot is free: no "busy" wait
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(alive_.load(), 1);
}

TEST_F(ConnectionPoolTest, ADiscardedConnectionIsClosedAndItsSlotFreed) {
  ConnectionPool<FakeConnection> pool(factory(), 1, 30ms);
  {
    auto lease = pool.acquire();
    ASSERT_TRUE(lease.ok());
    lease->discard();
    EXPECT_EQ(alive_.load(), 0);
  }
  EXPECT_EQ(pool.open_count(), 0u);
  auto fresh = pool.acquire();
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ((*fresh)->serial, 2);
}

}  // namespace
}  // namespace cinerec
