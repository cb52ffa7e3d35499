import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The termination signal received, if any (0 while none). Signal handlers may only touch
/// lock-free state, so this is one atomic word that loops poll.
private let receivedSignal = Atomic<Int32>(0)

/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into a flag the main loops check, so they leave
/// through their normal exit path: the terminal restored, the cache closed, the lock released.
/// SIGQUIT (^\) is among them because its default, the Swift runtime's crash report, wrote over
/// the cockpit's screen, waited at an interactive debugger prompt and left the terminal in curses
/// mode; `kill -ABRT` still gives that report.
enum SignalTrap {
  static func install() {
    var handled = sigset_t()
    sigemptyset(&handled)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
      Glibc.signal(signal) { receivedSignal.store($0, ordering: .relaxed) }
      sigaddset(&handled, signal)
    }
    // A parent may have started us with these blocked (the mask survives exec); unblock them,
    // or a stop request would never arrive.
    pthread_sigmask(SIG_UNBLOCK, &handled, nil)
  }

  /// The signal that asked us to stop, or nil.
  static var received: Int32? {
    let value = receivedSignal.load(ordering: .relaxed)
    return value == 0 ? nil : value
  }
}
