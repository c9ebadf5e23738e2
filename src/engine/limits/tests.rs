use super::*;

fn at(start: Instant, ms: u64) -> Instant {
    start + Duration::from_millis(ms)
}

#[test]
fn refill_earns_rate_times_elapsed() {
    let t0 = Instant::now();
    let mut b = TokenBalance::new(t0);
    b.refill(1_000_000, at(t0, 100));
    assert!((b.tokens() - 100_000.0).abs() < 1.0, "{}", b.tokens());
}

#[test]
fn refill_stops_at_the_burst() {
    let t0 = Instant::now();
    let mut b = TokenBalance::new(t0);
    b.refill(1_000_000, at(t0, 10_000));
    assert_eq!(b.tokens(), TokenBalance::burst(1_000_000));
    assert_eq!(TokenBalance::burst(1_000_000), 200_000.0);
    // A tiny limit still bursts a whole block.
    assert_eq!(TokenBalance::burst(100), MIN_BURST);
}

#[test]
fn take_goes_into_debt_then_waits_it_off() {
    let t0 = Instant::now();
    let mut b = TokenBalance::new(t0);
    // An empty (not negative) balance serves a request larger than the burst.
    assert_eq!(b.take(300_000, 1_000_000), Ok(()));
    assert_eq!(b.tokens(), -300_000.0);
    // The next waits until the debt is paid: 0.3 s at 1 MB/s.
    let wait = b.take(1, 1_000_000).unwrap_err();
    assert_eq!(wait, Duration::from_millis(300));
    b.refill(1_000_000, at(t0, 299));
    assert!(b.take(1, 1_000_000).is_err());
    b.refill(1_000_000, at(t0, 300));
    assert_eq!(b.take(1, 1_000_000), Ok(()));
}

#[test]
fn long_run_rate_is_the_limit() {
    // A greedy taker polled every ms for 10 s at 1 MB/s gets 10 MB, give or take a burst and
    // a quantum.
    let t0 = Instant::now();
    let mut b = TokenBalance::new(t0);
    let mut got = 0u64;
    for ms in 0..10_000 {
        b.refill(1_000_000, at(t0, ms));
        while b.take(16_384, 1_000_000).is_ok() {
            got += 16_384;
        }
    }
    let expected = 10_000_000.0;
    assert!(
        (got as f64 - expected).abs() < 16_384.0 * 2.0,
        "got {got} bytes"
    );
}

#[test]
fn give_back_returns_unused_tokens_up_to_the_burst() {
    let t0 = Instant::now();
    let mut b = TokenBalance::new(t0);
    b.take(50_000, 1_000_000).unwrap();
    b.give_back(20_000, 1_000_000);
    assert_eq!(b.tokens(), -30_000.0);
    b.give_back(10_000_000, 1_000_000);
    assert_eq!(b.tokens(), TokenBalance::burst(1_000_000));
}

#[test]
fn quantum_follows_the_tightest_limit() {
    let session = SessionBandwidth::new(RateLimits::new(1 << 20, 0), false);
    let torrent = TorrentBandwidth::new(RateLimits::new(64 * 1024, 0));
    let peer = PeerBandwidth::new(&torrent, &session);
    assert!(peer.download.is_limited());
    assert!(!peer.upload.is_limited());
    assert_eq!(peer.download.quantum(), 4096);
    torrent.set(RateLimits::UNLIMITED);
    assert_eq!(peer.download.quantum(), MAX_QUANTUM);
    session.set(RateLimits::new(1000, 0));
    assert_eq!(peer.download.quantum(), MIN_QUANTUM);
}

#[tokio::test]
async fn unlimited_acquire_returns_at_once() {
    let b = Bucket::new(0);
    let started = Instant::now();
    for _ in 0..1000 {
        b.acquire(1 << 30).await;
    }
    assert!(started.elapsed() < Duration::from_millis(100));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_take_turns_fairly() {
    // Three greedy connections on one bucket: FIFO turns give each the same number of quanta
    // (give or take the one in flight), however the tasks are scheduled.
    let bucket = Bucket::new(2 << 20);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let bucket = bucket.clone();
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                bucket.acquire(16 * 1024).await;
                n += 1;
            }
            n
        }));
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    stop.store(true, Ordering::Relaxed);
    let mut counts = Vec::new();
    for t in tasks {
        counts.push(t.await.unwrap_or(0));
    }
    let (min, max) = (
        counts.iter().copied().min().unwrap_or(0),
        counts.iter().copied().max().unwrap_or(0),
    );
    assert!(min >= 10, "too few turns: {counts:?}");
    assert!(max - min <= 2, "unfair turns: {counts:?}");
    // And together they got the limit's worth: 2 MiB/s for 0.6 s, plus at most one burst.
    let total = counts.iter().sum::<u64>() * 16 * 1024;
    let limit = (2 << 20) as f64 * 0.6;
    assert!(
        (total as f64) < limit + TokenBalance::burst(2 << 20) + 3.0 * 16384.0,
        "{total} bytes in 0.6 s"
    );
}

#[tokio::test]
async fn a_lifted_limit_frees_a_waiter_at_once() {
    let bucket = Bucket::new(1000);
    bucket.acquire(100_000).await; // 100 s of debt
    let waiter = {
        let bucket = bucket.clone();
        tokio::spawn(async move { bucket.acquire(1).await })
    };
    tokio::task::yield_now().await;
    bucket.set_rate(0);
    tokio::time::timeout(Duration::from_secs(1), waiter)
        .await
        .expect("waiter still blocked after the limit was lifted")
        .unwrap_or(());
}

#[test]
fn the_overhead_switch_reaches_connections_already_open() {
    let session = SessionBandwidth::new(RateLimits::new(1000, 1000), false);
    let torrent = TorrentBandwidth::new(RateLimits::UNLIMITED);
    let peer = PeerBandwidth::new(&torrent, &session);
    assert!(!peer.counts_overhead());
    session.set_overhead(true);
    assert!(peer.counts_overhead());
    assert!(PeerBandwidth::session_only(&session).counts_overhead());
}
