//! An instance's background loops (the outbox worker, the scheduled jobs): each a thread
//! of its own, since diesel and SMTP both block, and each stopped on demand, letting the
//! pass in progress finish.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One loop: how to ask it to stop, and its thread.
type Loop = (Sender<()>, JoinHandle<()>);

/// Stops the loops (and waits for them) when asked; every clone can ask.
#[derive(Clone, Default)]
pub struct Background {
    loops: Arc<Mutex<Vec<Loop>>>,
}

impl Background {
    /// Runs `pass` on a thread named `name` until stopped: again at once when it says
    /// more work is waiting, otherwise after `idle`. Its database work goes through
    /// `Db::run_here`, which queues its writes with the application's.
    pub fn every(
        &self,
        name: &str,
        idle: Duration,
        mut pass: impl FnMut() -> bool + Send + 'static,
    ) {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                loop {
                    let wait = if pass() { Duration::ZERO } else { idle };
                    match stopped.recv_timeout(wait) {
                        Err(RecvTimeoutError::Timeout) => continue,
                        _ => break,
                    }
                }
            })
            .expect("background thread starts");
        if let Ok(mut loops) = self.loops.lock() {
            loops.push((stop, thread));
        }
    }

    /// Lets each pass in progress finish (an email in flight), then stops every loop.
    pub fn stop(&self) {
        let loops = self
            .loops
            .lock()
            .map(|mut loops| std::mem::take(&mut *loops))
            .unwrap_or_default();
        for (stop, _) in &loops {
            let _ = stop.send(());
        }
        for (_, thread) in loops {
            let _ = thread.join();
        }
    }
}
